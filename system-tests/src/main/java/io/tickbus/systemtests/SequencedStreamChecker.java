package io.tickbus.systemtests;

import org.agrona.collections.Long2LongHashMap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges a run's history against the sequenced path's guarantee: every subscriber (and the archive) holds global
 * sequences 1..N exactly once and in order, where N is what the members agree on; one global sequence always
 * names the same (feed id, source sequence) in every history; and every source sequence a feed was acknowledged
 * for is in the sequenced stream. The first violation is the one at the lowest global sequence.
 * <p>
 * Threading: one thread. Allocation: freely (a checker).
 */
final class SequencedStreamChecker
{
    /** What a feed handler reported acknowledged when it ended cleanly. */
    record Ack(String feed, int feedId, long lastAckedSourceSeq, long lastAckedGlobalSeq)
    {
    }

    /** One history's figures. */
    record HistoryReport(String name, long records, long first, long last, long lost, long duplicated,
        long reordered, long firstViolationSeq, String firstViolation)
    {
    }

    /** The verdict. */
    record Verdict(long messages, long lost, long duplicated, long reordered, long divergent, long ackedMissing,
        Map<Integer, Long> sourceGaps, boolean membersAgree, List<Long> memberSeqs, List<HistoryReport> histories, long firstViolationSeq,
        String firstViolation)
    {
        boolean ok()
        {
            return null == firstViolation;
        }
    }

    private final Map<String, long[]> histories = new LinkedHashMap<>();
    private final List<Ack> acks = new ArrayList<>();
    private final List<Long> memberSeqs = new ArrayList<>();

    /**
     * @param name history name.
     * @param file a {@code --seq-log} file (missing: empty history).
     * @throws IOException when it cannot be read.
     */
    void history(final String name, final Path file) throws IOException
    {
        final byte[] bytes = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        final long[] records = new long[(bytes.length / 24) * 3];
        for (int i = 0; i < records.length; i++)
        {
            records[i] = buffer.getLong();
        }
        histories.put(name, records);
    }

    void ack(final Ack ack)
    {
        acks.add(ack);
    }

    /** @param globalSeq a member's last global sequence (-1 when it did not say). */
    void member(final long globalSeq)
    {
        memberSeqs.add(globalSeq);
    }

    Verdict check()
    {
        long n = 0;
        boolean agree = true;
        for (final long seq : memberSeqs)
        {
            agree &= seq == memberSeqs.get(0) && seq >= 0;
            n = Math.max(n, seq);
        }
        long firstSeq = Long.MAX_VALUE;
        String first = null;
        if (!agree)
        {
            first = "members disagree on N: " + memberSeqs;
            firstSeq = n;
        }

        // globalSeq -> (feedId << 48 | sourceSeq): the content every history must agree on.
        final Long2LongHashMap content = new Long2LongHashMap(-1);
        final Long2LongHashMap bySource = new Long2LongHashMap(-1);
        long divergent = 0;
        long lost = 0;
        long duplicated = 0;
        long reordered = 0;
        final List<HistoryReport> reports = new ArrayList<>();
        for (final Map.Entry<String, long[]> entry : histories.entrySet())
        {
            final String name = entry.getKey();
            final long[] r = entry.getValue();
            final int count = r.length / 3;
            final boolean[] seen = new boolean[(int)Math.max(n, maxSeq(r)) + 2];
            long expected = 1;
            long hLost = 0;
            long hDup = 0;
            long hReordered = 0;
            long hFirstSeq = Long.MAX_VALUE;
            String hFirst = null;
            for (int i = 0; i < count; i++)
            {
                final long seq = r[3 * i];
                final long key = (r[3 * i + 1] << 48) | r[3 * i + 2];
                final long had = content.get(seq);
                if (-1 == had)
                {
                    content.put(seq, key);
                    bySource.put(key, seq);
                }
                else if (had != key)
                {
                    divergent++;
                    if (seq < firstSeq)
                    {
                        firstSeq = seq;
                        first = name + ": global seq " + seq + " is (feed " + r[3 * i + 1] + ", source " +
                            r[3 * i + 2] + ") but (feed " + (had >>> 48) + ", source " + (had & 0xFFFF_FFFF_FFFFL) +
                            ") elsewhere";
                    }
                }
                if (seq < 1 || seq >= seen.length)
                {
                    continue;
                }
                String violation = null;
                if (seen[(int)seq])
                {
                    hDup++;
                    violation = "duplicate of global seq " + seq + " at record " + i;
                }
                else if (seq < expected)
                {
                    hReordered++;
                    violation = "global seq " + seq + " after " + (expected - 1) + " at record " + i;
                }
                else if (seq > expected)
                {
                    violation = "gap: expected global seq " + expected + ", got " + seq + " at record " + i;
                }
                if (null != violation && null == hFirst)
                {
                    hFirst = violation;
                    hFirstSeq = Math.min(seq, expected);
                }
                seen[(int)seq] = true;
                expected = Math.max(expected, seq + 1);
            }
            for (long s = 1; s <= n; s++)
            {
                if (!seen[(int)s])
                {
                    hLost++;
                }
            }
            if (hLost > 0 && null == hFirst)
            {
                long s = 1;
                while (seen[(int)s])
                {
                    s++;
                }
                hFirst = "missing global seq " + s + " (of " + hLost + " missing, the last " + n + ")";
                hFirstSeq = s;
            }
            if (0 == count && n > 0 && null == hFirst)
            {
                hFirst = "empty history";
                hFirstSeq = 1;
            }
            lost += hLost;
            duplicated += hDup;
            reordered += hReordered;
            reports.add(new HistoryReport(name, count, count > 0 ? r[0] : 0, count > 0 ? r[3 * (count - 1)] : 0,
                hLost, hDup, hReordered, hFirstSeq, hFirst));
            if (null != hFirst && hFirstSeq < firstSeq)
            {
                firstSeq = hFirstSeq;
                first = name + ": " + hFirst;
            }
        }

        long ackedMissing = 0;
        for (final Ack ack : acks)
        {
            if (0 == ack.lastAckedSourceSeq())
            {
                continue;
            }
            final long seq = bySource.get(((long)ack.feedId() << 48) | ack.lastAckedSourceSeq());
            if (-1 == seq || ack.lastAckedGlobalSeq() > n)
            {
                ackedMissing++;
                final long at = -1 == seq ? ack.lastAckedGlobalSeq() : seq;
                if (at < firstSeq)
                {
                    firstSeq = at;
                    first = ack.feed() + ": acknowledged (feed " + ack.feedId() + ", source " +
                        ack.lastAckedSourceSeq() + ", ack global seq " + ack.lastAckedGlobalSeq() +
                        ") not in the sequenced stream (N " + n + ")";
                }
            }
        }
        return new Verdict(n, lost, duplicated, reordered, divergent, ackedMissing, sourceGaps(content), agree, memberSeqs, reports,
            null == first ? 0 : firstSeq, first);
    }

    /**
     * Information, not a violation: per feed, venue sequences (a source sequence's upper bits, {@code moldSeq << 16
     * | n} for ITCH) missing between the first and last sequenced one: a feed handler that was down misses the
     * venue's packets meanwhile (the venue edge, not the sequencer).
     */
    private static Map<Integer, Long> sourceGaps(final Long2LongHashMap content)
    {
        final Map<Integer, org.agrona.collections.LongHashSet> byFeed = new java.util.TreeMap<>();
        final Long2LongHashMap.ValueIterator values = content.values().iterator();
        while (values.hasNext())
        {
            final long key = values.nextValue();
            byFeed.computeIfAbsent((int)(key >>> 48), (f) -> new org.agrona.collections.LongHashSet())
                .add((key & 0xFFFF_FFFF_FFFFL) >>> 16); // venue sequence: a source sequence is moldSeq << 16 | n
        }
        final Map<Integer, Long> gaps = new java.util.TreeMap<>();
        byFeed.forEach((feed, seqs) ->
        {
            long min = Long.MAX_VALUE;
            long max = 0;
            for (final long seq : seqs)
            {
                min = Math.min(min, seq);
                max = Math.max(max, seq);
            }
            gaps.put(feed, max - min + 1 - seqs.size());
        });
        return gaps;
    }

    private static long maxSeq(final long[] r)
    {
        long max = 0;
        for (int i = 0; i < r.length; i += 3)
        {
            max = Math.max(max, r[i]);
        }
        return Math.min(max, 50_000_000L);
    }
}
