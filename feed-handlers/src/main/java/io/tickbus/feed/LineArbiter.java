package io.tickbus.feed;

import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.concurrent.TimeUnit;

/**
 * A/B line arbitration in front of a venue's {@link PacketDecoder}: venues send every packet on two (or more)
 * lines, and the decoder must see each venue packet once, in sequence order. The first copy of each venue
 * sequence ({@link VenueFraming}: MoldUDP64 session + sequence, IEX-TP session + first sequence, MDP3 packet
 * sequence) goes to the decoder and is counted as won by its line; a later copy is counted as a duplicate of its
 * line and dropped.
 * <p>
 * A packet beyond the next expected sequence is a gap only when no line fills it: it is held (copied into a
 * bounded hold buffer) for up to the hold time while the other line delivers the missing packets, which are then
 * passed on followed by the held ones in order. When the hold expires (or the buffer is full) the gap goes to the
 * {@link GapRecovery} seam, and, unless that asks to keep holding, is declared: the held packets go to the
 * decoder, which publishes the {@code GapNotice}. A packet that arrives while the hold is full is offered to the
 * recovery too ({@link GapRecovery#onHoldFull}): when it will fetch that packet as well, the packet is dropped
 * ({@link #deferred()}) and is re-requested as part of a later gap; otherwise the first gap is declared at once.
 * Every declared gap, whatever declared it, is reported to {@link GapRecovery#onDeclared} with its reason, so that
 * {@link #gapsDeclared()} equals the decoder's gaps and the recovery's gaps given up.
 * <p>
 * A line with no packet for the line timeout while another line has traffic is reported down once (error handler
 * and {@link LineStats}); the feed goes on with the other line; its next packet reports it up again.
 * <p>
 * Packets whose sequence cannot be read (too short, MoldUDP64 sequence 0) pass straight to the decoder, which
 * reports them; so do packets out of bounds ({@link VenueSequenceTracker}), which it counts malformed.
 * <p>
 * Threading: one thread; call {@link #poll(long)} once per duty cycle before the cycle's packets. Allocation: the
 * hold buffer at construction; nothing per packet; one exception per line state report.
 */
public final class LineArbiter
{
    private final VenueFraming framing;
    private final PacketDecoder decoder;
    private final String[] names;
    private final long holdNs;
    private final long lineTimeoutNs;
    private final VenueSequenceTracker tracker;
    private final ErrorHandler errorHandler;
    private final LineStats stats;
    private final GapRecovery recovery;
    private static final int RECOVERY = -1;
    /** While recovery works on a gap, how often it is asked again at most: 100 us. */
    static final long RECOVERY_RECHECK_NS = 100_000;
    private long recoveredTaken;

    private final long[] packets;
    private final long[] won;
    private final long[] duplicates;
    private final long[] downs;
    private final long[] lastPacketNs;
    private final boolean[] down;

    private final UnsafeBuffer holdBuffer;
    private final long[] heldSeq;
    private final int[] heldCount;
    private final int[] heldEmptyKind;
    private final int[] heldLine;
    private final int[] heldOffset;
    private final int[] heldLength;
    private final long[] heldReceiveTimeNs;
    private final long[] heldPacketNumber;
    private final long[] heldAtNs;
    private int head;
    private int tail;
    private int holdWrite;
    private long holdStartNs;
    private int holdAttempt;
    private long holdsStarted;
    private long holdsFilled;
    private long gapsDeclared;
    private long deferred;
    private long deferredEnd = NO_DEFERRED;
    private static final long NO_DEFERRED = Long.MIN_VALUE;
    private int declareReason = GapRecovery.TRUST_BOUND;

    private boolean haveSession;
    private long sessionHigh;
    private long sessionLow;
    private boolean haveRetired;
    private long retiredHigh;
    private long retiredLow;
    private long lastEmptySeq = -1;
    private int lastEmptyKind;
    private long epochStartNs;
    private long nowNs;
    private boolean started;

    /**
     * @param framing reads each packet's session and sequence.
     * @param decoder gets each venue packet once, in order.
     * @param names one per line, for reports, e.g. "line A (udp://127.0.0.1:15100)".
     * @param holdNs how long a packet after a gap waits for another line to fill the gap.
     * @param lineTimeoutNs silence after which a line is reported down (while another has traffic).
     * @param maxHeldPackets bound on packets held at once.
     * @param holdBytes bound on bytes held at once (at least one 64 KiB datagram).
     * @param maxSequenceJump bounded trust, as the decoder's ({@link VenueSequenceTracker}).
     * @param errorHandler where line down / up is reported.
     * @param stats per-line counts.
     * @param recovery what a gap no line filled is offered to before it is declared.
     */
    public LineArbiter(
        final VenueFraming framing,
        final PacketDecoder decoder,
        final String[] names,
        final long holdNs,
        final long lineTimeoutNs,
        final int maxHeldPackets,
        final int holdBytes,
        final long maxSequenceJump,
        final ErrorHandler errorHandler,
        final LineStats stats,
        final GapRecovery recovery)
    {
        if (names.length < 1 || holdNs < 0 || lineTimeoutNs <= 0 || maxHeldPackets < 1 || holdBytes < 64 * 1024)
        {
            throw new IllegalArgumentException("line arbiter: lines >= 1, hold >= 0, line timeout > 0, held packets" +
                " >= 1, hold bytes >= 64 KiB");
        }
        this.framing = framing;
        this.decoder = decoder;
        this.names = names.clone();
        this.holdNs = holdNs;
        this.lineTimeoutNs = lineTimeoutNs;
        this.tracker = new VenueSequenceTracker(maxSequenceJump);
        this.errorHandler = errorHandler;
        this.stats = stats;
        this.recovery = recovery;
        final int lines = names.length;
        packets = new long[lines];
        won = new long[lines];
        duplicates = new long[lines];
        downs = new long[lines];
        lastPacketNs = new long[lines];
        down = new boolean[lines];
        holdBuffer = new UnsafeBuffer(new byte[holdBytes]);
        heldSeq = new long[maxHeldPackets];
        heldCount = new int[maxHeldPackets];
        heldEmptyKind = new int[maxHeldPackets];
        heldLine = new int[maxHeldPackets];
        heldOffset = new int[maxHeldPackets];
        heldLength = new int[maxHeldPackets];
        heldReceiveTimeNs = new long[maxHeldPackets];
        heldPacketNumber = new long[maxHeldPackets];
        heldAtNs = new long[maxHeldPackets];
    }

    /**
     * Once per duty cycle, before its packets: take the time, declare a gap whose hold expired, report a line that
     * went silent.
     *
     * @param nowNs monotonic clock, ns.
     * @return work done (gaps declared, lines reported).
     */
    public int poll(final long nowNs)
    {
        this.nowNs = nowNs;
        if (!started)
        {
            started = true;
            java.util.Arrays.fill(lastPacketNs, nowNs);
        }
        int work = 0;
        if ((head < tail || hasDeferredGap()) && nowNs - holdStartNs >= holdNs)
        {
            final long from = tracker.expected();
            final long gapEnd = head < tail ? heldSeq[head] : deferredEnd;
            if (recovery.onGap(from, gapEnd - from, ++holdAttempt, nowNs))
            {
                // asked again after a hold, or sooner (RECOVERY_RECHECK_NS) so that an answer that filled it lets
                // the next gap's request go out at once rather than a hold later
                holdStartNs = nowNs - holdNs + Math.min(holdNs, RECOVERY_RECHECK_NS);
            }
            else if (head < tail)
            {
                declareFirstGap(GapRecovery.EXPIRED);
            }
            else
            {
                // Only deferred packets were missing, none held to carry the notice: the next packet after them
                // is held as after any gap, offered to the recovery again, and announces the gap if it stays.
                deferredEnd = NO_DEFERRED;
            }
            work++;
        }
        for (int line = 0; line < names.length; line++)
        {
            if (!down[line] && nowNs - lastPacketNs[line] > lineTimeoutNs)
            {
                final int other = activeLineOtherThan(line);
                if (other >= 0)
                {
                    down[line] = true;
                    downs[line]++;
                    stats.onLineState(line, true);
                    errorHandler.onError(new LineStateException(names[line] + " silent for " +
                        TimeUnit.NANOSECONDS.toMillis(nowNs - lastPacketNs[line]) + " ms while " + names[other] +
                        " has traffic: line down, going on with the other line"));
                    work++;
                }
            }
        }
        return work;
    }

    /**
     * One packet received on a line.
     *
     * @param line 0 for A, 1 for B, ...
     * @param buffer holding the packet.
     * @param offset of the packet.
     * @param length of the packet.
     * @param receiveTimeNs epoch ns it was received.
     * @param packetNumber its number on its line.
     */
    public void onPacket(
        final int line,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long receiveTimeNs,
        final long packetNumber)
    {
        packets[line]++;
        stats.onPacket(line);
        lastPacketNs[line] = nowNs;
        if (down[line])
        {
            down[line] = false;
            stats.onLineState(line, false);
            errorHandler.onError(new LineStateException(names[line] + " receiving again: line up"));
        }
        if (!framing.read(buffer, offset, length) || !framing.isSequenced())
        {
            deliver(line, buffer, offset, length, receiveTimeNs, packetNumber);
            return;
        }
        if (!haveSession || sessionHigh != framing.sessionHigh() || sessionLow != framing.sessionLow())
        {
            if (haveRetired && retiredHigh == framing.sessionHigh() && retiredLow == framing.sessionLow())
            {
                duplicate(line); // the other line's late copy of the session that ended
                return;
            }
            newSession();
        }
        final long seq = framing.firstSeq();
        final int count = framing.count();
        final long expected = tracker.expected();
        if (framing.resetsAtOne() && 1 == seq && VenueSequenceTracker.NONE != expected && expected > 1 &&
            nowNs - epochStartNs > lineTimeoutNs)
        {
            releaseAll();
            tracker.reset();
            deferredEnd = NO_DEFERRED;
        }
        onSequenced(line, buffer, offset, length, receiveTimeNs, packetNumber, seq, count, framing.emptyKind());
    }

    /**
     * One packet that a recovery service sent (a MoldUDP64 re-request answer): it fills a gap like a line's copy
     * would, but counts on no line and may not change the session. Call between {@link #poll(long)} and the
     * cycle's line packets, on the same thread.
     *
     * @param buffer holding the packet.
     * @param offset of the packet.
     * @param length of the packet.
     * @param receiveTimeNs epoch ns it was received.
     * @return messages it brought that no line had delivered (0 for a late or repeated answer), or -1 when it is
     *         not a sequenced packet of the current session (the caller counts it malformed).
     */
    public int onRecoveredPacket(final DirectBuffer buffer, final int offset, final int length, final long receiveTimeNs)
    {
        if (!framing.read(buffer, offset, length) || !framing.isSequenced() || !haveSession ||
            sessionHigh != framing.sessionHigh() || sessionLow != framing.sessionLow())
        {
            return -1;
        }
        final long seq = framing.firstSeq();
        final int count = framing.count();
        final long expected = tracker.expected();
        if (VenueSequenceTracker.NONE == expected || !VenueSequenceTracker.fitsDerivedSpace(seq, count) ||
            seq - expected > tracker.maxJump())
        {
            return -1;
        }
        final long end = seq + count;
        if (end <= expected)
        {
            return 0;
        }
        final int fresh = (int)(end - Math.max(seq, expected));
        final long before = recoveredTaken;
        onSequenced(RECOVERY, buffer, offset, length, receiveTimeNs, -1, seq, count, framing.emptyKind());
        return recoveredTaken != before ? fresh : 0;
    }

    private void onSequenced(
        final int line,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long receiveTimeNs,
        final long packetNumber,
        final long seq,
        final int count,
        final int emptyKind)
    {
        final long expected = tracker.expected();
        if (VenueSequenceTracker.NONE == expected)
        {
            epochStartNs = nowNs;
        }
        else if (seq > expected && VenueSequenceTracker.fitsDerivedSpace(seq, count) &&
            seq - expected <= tracker.maxJump())
        {
            hold(line, buffer, offset, length, receiveTimeNs, packetNumber, seq, count, emptyKind);
            return;
        }
        if (accept(line, seq, count, emptyKind))
        {
            deliver(line, buffer, offset, length, receiveTimeNs, packetNumber);
            drainHold();
        }
    }

    /** @return true when the packet is to be delivered; counts the duplicate otherwise. */
    private boolean accept(final int line, final long seq, final int count, final int emptyKind)
    {
        final int result = tracker.onPacket(seq, count);
        if (VenueSequenceTracker.DUPLICATE == result)
        {
            duplicate(line);
            return false;
        }
        if (VenueSequenceTracker.GAP == result)
        {
            gapsDeclared++; // the decoder sees the same gap and publishes its notice
            recovery.onDeclared(tracker.gapFrom(), tracker.gapCount(), declareReason);
        }
        if (0 == count && VenueSequenceTracker.IN_ORDER == result)
        {
            if (seq == lastEmptySeq && emptyKind == lastEmptyKind)
            {
                duplicate(line); // the other line's copy of the same heartbeat
                return false;
            }
            lastEmptySeq = seq;
            lastEmptyKind = emptyKind;
        }
        return true;
    }

    private void hold(
        final int line,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long receiveTimeNs,
        final long packetNumber,
        final long seq,
        final int count,
        final int emptyKind)
    {
        int at = tail;
        for (int i = tail - 1; i >= head; i--)
        {
            if (heldSeq[i] == seq && heldCount[i] == count && heldEmptyKind[i] == emptyKind)
            {
                duplicate(line); // both lines' copies arrived after the gap
                return;
            }
            if (heldSeq[i] <= seq)
            {
                break;
            }
            at = i;
        }
        if (tail == heldSeq.length || holdWrite + length > holdBuffer.capacity())
        {
            final long from = tracker.expected();
            if (recovery.onHoldFull(from, heldSeq[head] - from, nowNs))
            {
                deferred++; // recovery fetches it with a later gap
                deferredEnd = Math.max(deferredEnd, seq + count);
                return;
            }
            declareFirstGap(GapRecovery.HOLD_FULL); // the gap that holds the most back is declared now
            onSequenced(line, buffer, offset, length, receiveTimeNs, packetNumber, seq, count, emptyKind);
            return;
        }
        if (head == tail)
        {
            if (!hasDeferredGap())
            {
                holdStartNs = nowNs;
                holdAttempt = 0;
            }
            holdsStarted++;
        }
        final int moved = tail - at;
        if (moved > 0)
        {
            System.arraycopy(heldSeq, at, heldSeq, at + 1, moved);
            System.arraycopy(heldCount, at, heldCount, at + 1, moved);
            System.arraycopy(heldEmptyKind, at, heldEmptyKind, at + 1, moved);
            System.arraycopy(heldLine, at, heldLine, at + 1, moved);
            System.arraycopy(heldOffset, at, heldOffset, at + 1, moved);
            System.arraycopy(heldLength, at, heldLength, at + 1, moved);
            System.arraycopy(heldReceiveTimeNs, at, heldReceiveTimeNs, at + 1, moved);
            System.arraycopy(heldPacketNumber, at, heldPacketNumber, at + 1, moved);
            System.arraycopy(heldAtNs, at, heldAtNs, at + 1, moved);
        }
        holdBuffer.putBytes(holdWrite, buffer, offset, length);
        if (RECOVERY == line)
        {
            recoveredTaken++;
        }
        heldSeq[at] = seq;
        heldCount[at] = count;
        heldEmptyKind[at] = emptyKind;
        heldLine[at] = line;
        heldOffset[at] = holdWrite;
        heldLength[at] = length;
        heldReceiveTimeNs[at] = receiveTimeNs;
        heldPacketNumber[at] = packetNumber;
        heldAtNs[at] = nowNs;
        holdWrite += length;
        tail++;
    }

    /** Pass on held packets that no longer follow a gap; the hold buffer is reused once empty. */
    private void drainHold()
    {
        final boolean wasHolding = head < tail;
        final int headBefore = head;
        while (head < tail && heldSeq[head] <= tracker.expected())
        {
            releaseHead();
        }
        if (head != headBefore && head < tail)
        {
            // A gap filled with more held after it: the next gap's hold runs from when its first packet was held,
            // so that gaps queued behind a recovery are offered one after the other, not one per hold period.
            holdStartNs = heldAtNs[head];
            holdAttempt = 0;
        }
        if (wasHolding && head == tail)
        {
            holdsFilled++;
            if (hasDeferredGap())
            {
                holdStartNs = nowNs; // the deferred packets are the next gap: its own hold, then the recovery
                holdAttempt = 0;
            }
        }
        emptyHoldIfDone();
    }

    /** @return true while packets dropped from a full hold are still missing. */
    private boolean hasDeferredGap()
    {
        if (NO_DEFERRED != deferredEnd && deferredEnd <= tracker.expected())
        {
            deferredEnd = NO_DEFERRED;
        }
        return NO_DEFERRED != deferredEnd;
    }

    /** The hold expired or is full: the first held packet goes on after its gap, then what follows it in order. */
    private void declareFirstGap(final int reason)
    {
        if (head == tail)
        {
            return;
        }
        declareReason = reason;
        releaseHead();
        declareReason = GapRecovery.TRUST_BOUND;
        while (head < tail && heldSeq[head] <= tracker.expected())
        {
            releaseHead();
        }
        holdStartNs = nowNs; // a later gap among the held packets waits a hold of its own
        holdAttempt = 0;
        emptyHoldIfDone();
    }

    /** Before a session change or reset: everything held goes to the decoder, gaps and all. */
    private void releaseAll()
    {
        while (head < tail)
        {
            declareFirstGap(GapRecovery.SESSION_END);
        }
    }

    private void releaseHead()
    {
        final int i = head++;
        if (accept(heldLine[i], heldSeq[i], heldCount[i], heldEmptyKind[i]))
        {
            deliver(heldLine[i], holdBuffer, heldOffset[i], heldLength[i], heldReceiveTimeNs[i], heldPacketNumber[i]);
        }
    }

    private void emptyHoldIfDone()
    {
        if (head == tail)
        {
            head = 0;
            tail = 0;
            holdWrite = 0;
        }
        else if (tail == heldSeq.length && head > 0)
        {
            final int n = tail - head;
            System.arraycopy(heldSeq, head, heldSeq, 0, n);
            System.arraycopy(heldCount, head, heldCount, 0, n);
            System.arraycopy(heldEmptyKind, head, heldEmptyKind, 0, n);
            System.arraycopy(heldLine, head, heldLine, 0, n);
            System.arraycopy(heldOffset, head, heldOffset, 0, n);
            System.arraycopy(heldLength, head, heldLength, 0, n);
            System.arraycopy(heldReceiveTimeNs, head, heldReceiveTimeNs, 0, n);
            System.arraycopy(heldPacketNumber, head, heldPacketNumber, 0, n);
            System.arraycopy(heldAtNs, head, heldAtNs, 0, n);
            head = 0;
            tail = n;
        }
    }

    private void newSession()
    {
        releaseAll();
        if (haveSession)
        {
            haveRetired = true;
            retiredHigh = sessionHigh;
            retiredLow = sessionLow;
        }
        if (haveSession)
        {
            tracker.reset(); // a new session numbers from 1 again; the first one may carry a resumed expectation
        }
        haveSession = true;
        sessionHigh = framing.sessionHigh();
        sessionLow = framing.sessionLow();
        lastEmptySeq = -1;
        deferredEnd = NO_DEFERRED;
    }

    private void deliver(
        final int line,
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long receiveTimeNs,
        final long packetNumber)
    {
        if (RECOVERY == line)
        {
            recoveredTaken++;
        }
        else
        {
            won[line]++;
            stats.onWon(line);
        }
        decoder.onPacket(buffer, offset, length, receiveTimeNs, packetNumber, -1);
    }

    private void duplicate(final int line)
    {
        if (RECOVERY == line)
        {
            return;
        }
        duplicates[line]++;
        stats.onDuplicate(line);
    }

    private int activeLineOtherThan(final int line)
    {
        for (int other = 0; other < names.length; other++)
        {
            if (other != line && nowNs - lastPacketNs[other] <= lineTimeoutNs)
            {
                return other;
            }
        }
        return -1;
    }

    /** @return lines arbitrated. */
    public int lines()
    {
        return names.length;
    }

    /**
     * @param line line index.
     * @return its name, as given.
     */
    public String name(final int line)
    {
        return names[line];
    }

    /**
     * @param line line index.
     * @return packets received on it.
     */
    public long packets(final int line)
    {
        return packets[line];
    }

    /**
     * @param line line index.
     * @return its copies that were first and went to the decoder.
     */
    public long won(final int line)
    {
        return won[line];
    }

    /**
     * @param line line index.
     * @return its copies dropped as already seen.
     */
    public long duplicates(final int line)
    {
        return duplicates[line];
    }

    /**
     * @param line line index.
     * @return times it was reported down.
     */
    public long downs(final int line)
    {
        return downs[line];
    }

    /**
     * @param line line index.
     * @return true while it is down.
     */
    public boolean isDown(final int line)
    {
        return down[line];
    }

    /** @return gaps for which packets were held. */
    public long holdsStarted()
    {
        return holdsStarted;
    }

    /** @return holds that ended because a line filled the gap. */
    public long holdsFilled()
    {
        return holdsFilled;
    }

    /**
     * @return gaps declared (no line and no recovery filled them), whatever the reason: the decoder announces each;
     *         each was reported to {@link GapRecovery#onDeclared}.
     */
    public long gapsDeclared()
    {
        return gapsDeclared;
    }

    /** @return packets dropped because the hold was full, left to the recovery to fetch with a later gap. */
    public long deferred()
    {
        return deferred;
    }

    /** @return true once a sequenced packet gave the session ({@link #sessionHigh()}, {@link #sessionLow()}). */
    public boolean hasSession()
    {
        return haveSession;
    }

    /** @return first 8 bytes of the current session, as {@link VenueFraming#sessionHigh()}. */
    public long sessionHigh()
    {
        return sessionHigh;
    }

    /** @return the rest of the current session, as {@link VenueFraming#sessionLow()}. */
    public long sessionLow()
    {
        return sessionLow;
    }

    /** @return the next venue sequence number the decoder expects, {@link VenueSequenceTracker#NONE} before any. */
    public long expected()
    {
        return tracker.expected();
    }

    /**
     * Before the first packet: expect this venue sequence number next (see {@link VenueSequenceTracker#resume}), so
     * that what a restarted handler missed is held for recovery like any gap.
     *
     * @param nextSeq the venue sequence number expected next.
     * @return true when it was taken.
     */
    public boolean resume(final long nextSeq)
    {
        epochStartNs = nowNs;
        return tracker.resume(nextSeq);
    }

    /** @return packets held now. */
    public int held()
    {
        return tail - head;
    }

    /**
     * @return {@code {"holds":N,"filled":N,"declared":N,"deferred":N,"lines":[{"line":"...","packets":N,"won":N,
     * "duplicates":N,"down":N},...]}} (allocates: for the end-of-run summary).
     */
    public String toJson()
    {
        final StringBuilder json = new StringBuilder(128).append("{\"holds\":").append(holdsStarted)
            .append(",\"filled\":").append(holdsFilled).append(",\"declared\":").append(gapsDeclared)
            .append(",\"deferred\":").append(deferred)
            .append(",\"lines\":[");
        for (int line = 0; line < names.length; line++)
        {
            json.append(0 == line ? "" : ",").append("{\"line\":\"").append(names[line].replace("\"", "'"))
                .append("\",\"packets\":").append(packets[line]).append(",\"won\":").append(won[line])
                .append(",\"duplicates\":").append(duplicates[line]).append(",\"down\":").append(downs[line])
                .append('}');
        }
        return json.append("]}").toString();
    }
}
