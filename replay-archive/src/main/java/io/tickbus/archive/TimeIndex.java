package io.tickbus.archive;

import org.agrona.collections.LongArrayList;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Positions by exchange time at a fixed granularity for one day segment of a recording: entry {@code i} says
 * that the first message whose exchange time falls in bucket {@code time[i]} starts at stream position
 * {@code position[i]}. Positions are the end positions of the preceding frames as Aeron's {@code Header} reported
 * them while the recording was read, so every indexed position is a frame boundary a replay may start at.
 * <p>
 * <p>
 * Alongside, for a sequenced stream, positions by global sequence: entry {@code j} says that the message with
 * global sequence {@code seq[j]} starts at {@code seqPosition[j]} (again a frame boundary taken from a header),
 * one entry for the first sequenced message and then one at least {@link #SEQ_INDEX_INTERVAL} sequences on.
 * <p>
 * Lookups are binary searches (both lists only grow, strictly increasing), O(log n) whatever the day's size.
 * <p>
 * Written by one thread (the catalog agent); read by others only after it was stored and reloaded.
 * Allocation: amortised growth of four {@link LongArrayList}s, one entry per non-empty bucket and one per
 * {@link #SEQ_INDEX_INTERVAL} global sequences.
 */
public final class TimeIndex
{
    /** Global sequences between entries of the global-sequence index. */
    public static final int SEQ_INDEX_INTERVAL = 256;

    private static final int MAGIC = 0x54424958; // "TBIX"
    private static final int SEQ_MAGIC = 0x54425351; // "TBSQ": the optional global-sequence section

    private final LongArrayList times = new LongArrayList();
    private final LongArrayList positions = new LongArrayList();
    private final LongArrayList seqs = new LongArrayList();
    private final LongArrayList seqPositions = new LongArrayList();
    private final long granularityNs;

    /**
     * @param granularityNs bucket width in nanoseconds.
     */
    public TimeIndex(final long granularityNs)
    {
        if (granularityNs <= 0)
        {
            throw new IllegalArgumentException("index granularity must be positive: " + granularityNs);
        }
        this.granularityNs = granularityNs;
    }

    /**
     * Record a message; adds an entry when the message opens a bucket later than the last one.
     *
     * @param exchangeTimeNs the message's exchange time.
     * @param frameStartPosition where its first frame starts (the previous frame's header position).
     * @return true when an entry was added.
     */
    public boolean onMessage(final long exchangeTimeNs, final long frameStartPosition)
    {
        final long bucket = Math.floorDiv(exchangeTimeNs, granularityNs) * granularityNs;
        final int size = times.size();
        if (size == 0 || bucket > times.getLong(size - 1))
        {
            times.addLong(bucket);
            positions.addLong(frameStartPosition);
            return true;
        }
        return false;
    }

    /**
     * Record a sequenced message; adds an entry for the first one and then every {@link #SEQ_INDEX_INTERVAL}
     * global sequences.
     *
     * @param globalSeq its global sequence, &gt; 0.
     * @param frameStartPosition where its first frame starts (the previous frame's header position).
     * @return true when an entry was added.
     */
    public boolean onSequenced(final long globalSeq, final long frameStartPosition)
    {
        final int size = seqs.size();
        if (size == 0 || globalSeq >= seqs.getLong(size - 1) + SEQ_INDEX_INTERVAL)
        {
            seqs.addLong(globalSeq);
            seqPositions.addLong(frameStartPosition);
            return true;
        }
        return false;
    }

    /**
     * Where to start a replay so that the message with a global sequence is the first one at or after it.
     *
     * @param globalSeq a global sequence.
     * @param fallback returned when no entry is at or below the sequence.
     * @return the position of the last entry whose global sequence is at or below {@code globalSeq}.
     */
    public long startPositionForGlobalSeq(final long globalSeq, final long fallback)
    {
        final int i = lastAtOrBelow(seqs, globalSeq);
        return i < 0 ? fallback : seqPositions.getLong(i);
    }

    /** @return entries of the global-sequence index. */
    public int seqEntries()
    {
        return seqs.size();
    }

    /**
     * @param i global-sequence entry.
     * @return its global sequence.
     */
    public long seq(final int i)
    {
        return seqs.getLong(i);
    }

    /**
     * @param i global-sequence entry.
     * @return the stream position where its message starts.
     */
    public long seqPosition(final int i)
    {
        return seqPositions.getLong(i);
    }

    /**
     * Where to start a replay so that no message at or after {@code timeNs} is missed.
     *
     * @param timeNs epoch nanoseconds.
     * @param fallback returned when the index has no entry at or before the time.
     * @return the position of the last entry whose bucket starts at or before the time.
     */
    public long startPositionFor(final long timeNs, final long fallback)
    {
        final int i = lastAtOrBelow(times, timeNs);
        return i < 0 ? fallback : positions.getLong(i);
    }

    /**
     * Where a replay may stop and still include every message before {@code timeNs} (given exchange times that
     * do not go backwards by more than the granularity).
     *
     * @param timeNs epoch nanoseconds (exclusive end).
     * @param fallback returned when no bucket starts after the time.
     * @return the position of the first entry whose bucket starts after the bucket holding {@code timeNs}.
     */
    public long stopPositionFor(final long timeNs, final long fallback)
    {
        final int i = lastAtOrBelow(times, timeNs) + 1;
        return i < times.size() ? positions.getLong(i) : fallback;
    }

    /**
     * Binary search of a strictly increasing list (bucket times, global sequences: both only ever appended larger).
     *
     * @return the index of the last element at or below the key, or -1 when every element is above it.
     */
    private static int lastAtOrBelow(final LongArrayList sorted, final long key)
    {
        int low = 0;
        int high = sorted.size() - 1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            if (sorted.getLong(mid) <= key)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return high;
    }

    /** @return the number of entries. */
    public int size()
    {
        return times.size();
    }

    /**
     * @param i entry.
     * @return bucket start time of the entry, epoch ns.
     */
    public long time(final int i)
    {
        return times.getLong(i);
    }

    /**
     * @param i entry.
     * @return stream position of the entry.
     */
    public long position(final int i)
    {
        return positions.getLong(i);
    }

    /** @return bucket width in nanoseconds. */
    public long granularityNs()
    {
        return granularityNs;
    }

    /**
     * Drop entries at or beyond a position (used when resuming indexing after a restart).
     *
     * @param position first position to drop.
     */
    public void truncateFrom(final long position)
    {
        int size = times.size();
        while (size > 0 && positions.getLong(size - 1) >= position)
        {
            size--;
            times.removeAt(size);
            positions.removeAt(size);
        }
        size = seqs.size();
        while (size > 0 && seqPositions.getLong(size - 1) >= position)
        {
            size--;
            seqs.removeAt(size);
            seqPositions.removeAt(size);
        }
    }

    /**
     * Write atomically and durably (temporary file forced to disk, then renamed; see {@link DurableFiles}).
     *
     * @param file destination.
     * @throws IOException when it cannot be written.
     */
    public void store(final Path file) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + 16 * (times.size() + seqs.size()));
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            out.writeInt(MAGIC);
            out.writeLong(granularityNs);
            out.writeInt(times.size());
            for (int i = 0; i < times.size(); i++)
            {
                out.writeLong(times.getLong(i));
                out.writeLong(positions.getLong(i));
            }
            out.writeInt(SEQ_MAGIC);
            out.writeInt(seqs.size());
            for (int i = 0; i < seqs.size(); i++)
            {
                out.writeLong(seqs.getLong(i));
                out.writeLong(seqPositions.getLong(i));
            }
        }
        DurableFiles.writeAtomically(file, bytes.toByteArray());
    }

    /**
     * @param file an index file written by {@link #store(Path)}.
     * @return the index.
     * @throws IOException when missing, truncated or not an index file.
     */
    public static TimeIndex load(final Path file) throws IOException
    {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file))))
        {
            if (in.readInt() != MAGIC)
            {
                throw new IOException("not a Tickbus time index: " + file);
            }
            final TimeIndex index = new TimeIndex(in.readLong());
            final int count = in.readInt();
            for (int i = 0; i < count; i++)
            {
                index.times.addLong(in.readLong());
                index.positions.addLong(in.readLong());
            }
            if (in.available() > 0) // files written before the global-sequence index end here
            {
                if (in.readInt() != SEQ_MAGIC)
                {
                    throw new IOException("not a Tickbus time index (global-sequence section): " + file);
                }
                final int seqCount = in.readInt();
                for (int i = 0; i < seqCount; i++)
                {
                    index.seqs.addLong(in.readLong());
                    index.seqPositions.addLong(in.readLong());
                }
            }
            return index;
        }
        catch (final EOFException ex)
        {
            throw new IOException("truncated time index: " + file, ex);
        }
    }
}
