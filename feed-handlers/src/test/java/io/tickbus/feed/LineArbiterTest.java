package io.tickbus.feed;

import io.tickbus.feed.iex.IexTp;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The arbiter's rules, one line each, on packets whose headers are the venues' own (MoldUDP64, IEX-TP, MDP3):
 * first copy wins, heartbeats once, session change and MDP3 reset, a hold that overflows, the recovery seam.
 */
@Timeout(10)
class LineArbiterTest
{
    /** What the decoder got: "seq" or "seq/count", in order. */
    private final List<String> delivered = new ArrayList<>();
    private final List<Throwable> reports = new ArrayList<>();
    private long nowNs = 1_000_000;

    private final PacketDecoder mold = (buffer, offset, length, t, n, o) -> delivered.add(
        session(buffer, offset) + ":" + buffer.getLong(offset + 10, ByteOrder.BIG_ENDIAN) + "/" +
        (buffer.getShort(offset + 18, ByteOrder.BIG_ENDIAN) & 0xFFFF));

    private static String session(final DirectBuffer buffer, final int offset)
    {
        return buffer.getStringWithoutLengthAscii(offset, 10).trim();
    }

    private LineArbiter arbiter(final String venue, final PacketDecoder decoder, final int maxHeld,
        final GapRecovery recovery)
    {
        final LineArbiter arbiter = new LineArbiter(VenueFraming.of(venue), decoder, new String[]{"A", "B"},
            100, 1_000_000_000L, maxHeld, 64 * 1024, 1000, reports::add, LineStats.NONE, recovery);
        arbiter.poll(nowNs);
        return arbiter;
    }

    private static UnsafeBuffer mold(final String session, final long seq, final int count)
    {
        final List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < (count == 0xFFFF ? 0 : count); i++)
        {
            messages.add(new byte[]{'S'});
        }
        final byte[] packet = TestSupport.moldPacket(session, seq, messages);
        if (0xFFFF == count)
        {
            packet[18] = (byte)0xFF;
            packet[19] = (byte)0xFF;
        }
        return new UnsafeBuffer(packet);
    }

    private void send(final LineArbiter arbiter, final int line, final UnsafeBuffer packet)
    {
        arbiter.onPacket(line, packet, 0, packet.capacity(), nowNs, 1);
    }

    private void later(final LineArbiter arbiter, final long ns)
    {
        nowNs += ns;
        arbiter.poll(nowNs);
    }

    @Test
    void firstCopyWinsAndHeartbeatsAndEndOfSessionPassOnce()
    {
        final LineArbiter arbiter = arbiter(Venues.ITCH5, mold, 64, GapRecovery.NONE);
        send(arbiter, 0, mold("S1", 1, 2));
        send(arbiter, 1, mold("S1", 1, 2));
        send(arbiter, 1, mold("S1", 3, 0));
        send(arbiter, 0, mold("S1", 3, 0));
        send(arbiter, 0, mold("S1", 3, 0xFFFF));
        send(arbiter, 1, mold("S1", 3, 0xFFFF));
        assertEquals(List.of("S1:1/2", "S1:3/0", "S1:3/65535"), delivered);
        assertEquals(2, arbiter.won(0));
        assertEquals(1, arbiter.won(1));
        assertEquals(1, arbiter.duplicates(0));
        assertEquals(2, arbiter.duplicates(1));
    }

    @Test
    void gapFilledByTheOtherLineReleasesHeldPacketsInOrder()
    {
        final LineArbiter arbiter = arbiter(Venues.ITCH5, mold, 64, GapRecovery.NONE);
        send(arbiter, 0, mold("S1", 1, 1));
        send(arbiter, 0, mold("S1", 3, 1)); // A lost 2
        send(arbiter, 0, mold("S1", 4, 1));
        send(arbiter, 1, mold("S1", 1, 1));
        assertEquals(List.of("S1:1/1"), delivered, "3 and 4 held");
        send(arbiter, 1, mold("S1", 2, 1));
        assertEquals(List.of("S1:1/1", "S1:2/1", "S1:3/1", "S1:4/1"), delivered);
        send(arbiter, 1, mold("S1", 3, 1));
        assertEquals(1, arbiter.holdsFilled());
        assertEquals(0, arbiter.gapsDeclared());
        assertEquals(0, arbiter.held());
    }

    @Test
    void gapNoLineFillsIsOfferedToRecoveryThenDeclared()
    {
        final List<long[]> offered = new ArrayList<>();
        final LineArbiter arbiter = arbiter(Venues.ITCH5, mold, 64, (from, count, attempt, now) ->
        {
            offered.add(new long[]{from, count, attempt});
            return attempt < 2; // asks once for more time, then gives up
        });
        send(arbiter, 0, mold("S1", 1, 1));
        send(arbiter, 0, mold("S1", 5, 1));
        later(arbiter, 50);
        assertEquals(1, delivered.size(), "still holding within the hold time");
        later(arbiter, 60);
        assertEquals(1, delivered.size(), "recovery asked to keep holding");
        later(arbiter, 110);
        assertEquals(List.of("S1:1/1", "S1:5/1"), delivered, "declared: the decoder sees the gap");
        assertEquals(2, offered.size());
        assertEquals(2, offered.get(0)[0]);
        assertEquals(3, offered.get(0)[1], "2, 3 and 4 missing");
        assertEquals(1, arbiter.gapsDeclared());
    }

    @Test
    void fullHoldDeclaresTheGapRatherThanDropping()
    {
        final LineArbiter arbiter = arbiter(Venues.ITCH5, mold, 2, GapRecovery.NONE);
        send(arbiter, 0, mold("S1", 1, 1));
        send(arbiter, 0, mold("S1", 3, 1));
        send(arbiter, 0, mold("S1", 4, 1));
        send(arbiter, 0, mold("S1", 5, 1));
        assertEquals(List.of("S1:1/1", "S1:3/1", "S1:4/1", "S1:5/1"), delivered);
        assertEquals(1, arbiter.gapsDeclared());
    }

    /** Records what the arbiter offers and declares; keeps holding and takes a full hold's overflow. */
    private static final class RecordingRecovery implements GapRecovery
    {
        final List<long[]> offered = new ArrayList<>();
        final List<long[]> declared = new ArrayList<>();
        boolean keepHolding = true;
        boolean takeOverflow = true;

        public boolean onGap(final long fromSeq, final long count, final int attempt, final long nowNs)
        {
            offered.add(new long[]{fromSeq, count});
            return keepHolding;
        }

        public boolean onHoldFull(final long fromSeq, final long count, final long nowNs)
        {
            return takeOverflow;
        }

        public void onDeclared(final long fromSeq, final long count, final int reason)
        {
            declared.add(new long[]{fromSeq, count, reason});
        }
    }

    private void recovered(final LineArbiter arbiter, final UnsafeBuffer packet)
    {
        arbiter.onRecoveredPacket(packet, 0, packet.capacity(), nowNs);
    }

    @Test
    void fullHoldLeavesWhatDoesNotFitToRecoveryWhichFetchesItAsTheNextGap()
    {
        final RecordingRecovery recovery = new RecordingRecovery();
        final LineArbiter arbiter = arbiter(Venues.ITCH5, mold, 2, recovery);
        send(arbiter, 0, mold("S1", 1, 1));
        send(arbiter, 0, mold("S1", 3, 1));
        send(arbiter, 0, mold("S1", 4, 1));
        send(arbiter, 0, mold("S1", 5, 1));
        send(arbiter, 1, mold("S1", 6, 2));
        assertEquals(List.of("S1:1/1"), delivered, "nothing declared on a full hold");
        assertEquals(2, arbiter.deferred(), "5 and 6-7 did not fit: left to recovery");
        later(arbiter, 100);
        assertEquals(2, recovery.offered.get(0)[0]);
        assertEquals(1, recovery.offered.get(0)[1]);
        recovered(arbiter, mold("S1", 2, 1));
        assertEquals(List.of("S1:1/1", "S1:2/1", "S1:3/1", "S1:4/1"), delivered);
        assertEquals(0, arbiter.held());
        later(arbiter, 50);
        assertEquals(1, recovery.offered.size(), "the deferred gap waits a hold of its own");
        later(arbiter, 60);
        assertEquals(2, recovery.offered.size(), "then the deferred packets are offered as a gap");
        assertEquals(5, recovery.offered.get(1)[0]);
        assertEquals(3, recovery.offered.get(1)[1], "5, 6 and 7");
        recovered(arbiter, mold("S1", 5, 3));
        send(arbiter, 0, mold("S1", 8, 1));
        assertEquals(List.of("S1:1/1", "S1:2/1", "S1:3/1", "S1:4/1", "S1:5/3", "S1:8/1"), delivered);
        assertEquals(0, arbiter.gapsDeclared());
        assertTrue(recovery.declared.isEmpty());
    }

    @Test
    void aGapQueuedBehindARecoveredOneIsOfferedAsSoonAsItsPacketHasWaitedTheHold()
    {
        final RecordingRecovery recovery = new RecordingRecovery();
        final LineArbiter arbiter = arbiter(Venues.ITCH5, mold, 64, recovery);
        send(arbiter, 0, mold("S1", 1, 1));
        send(arbiter, 0, mold("S1", 3, 1));
        send(arbiter, 0, mold("S1", 5, 1));
        later(arbiter, 100);
        assertEquals(1, recovery.offered.size());
        recovered(arbiter, mold("S1", 2, 1));
        assertEquals(List.of("S1:1/1", "S1:2/1", "S1:3/1"), delivered);
        later(arbiter, 1);
        assertEquals(2, recovery.offered.size(), "5 was held a hold ago: gap 4 goes to recovery at once");
        assertEquals(4, recovery.offered.get(1)[0]);
    }

    @Test
    void everyDeclaredGapIsReportedToRecoveryWithItsReason()
    {
        final RecordingRecovery recovery = new RecordingRecovery();
        recovery.keepHolding = false;
        recovery.takeOverflow = false;
        final LineArbiter arbiter = arbiter(Venues.ITCH5, mold, 2, recovery);
        send(arbiter, 0, mold("S1", 1, 1));
        send(arbiter, 0, mold("S1", 3, 1));
        later(arbiter, 100); // expired: 2
        send(arbiter, 0, mold("S1", 5, 1));
        send(arbiter, 0, mold("S1", 7, 1));
        send(arbiter, 0, mold("S1", 9, 1)); // full: 4 declared at once
        send(arbiter, 0, mold("S2", 1, 1)); // new session: 6 and 8 released as gaps
        assertEquals(4, arbiter.gapsDeclared());
        assertEquals(4, recovery.declared.size());
        final int[] reasons = recovery.declared.stream().mapToInt(d -> (int)d[2]).toArray();
        assertEquals(List.of(GapRecovery.EXPIRED, GapRecovery.HOLD_FULL, GapRecovery.SESSION_END,
            GapRecovery.SESSION_END), List.of(reasons[0], reasons[1], reasons[2], reasons[3]));
        assertEquals(2, recovery.declared.get(0)[0]);
        assertEquals(4, recovery.declared.get(1)[0]);
        assertEquals(0, arbiter.deferred());
    }

    @Test
    void newSessionReleasesTheOldAndLateCopiesOfTheOldAreDuplicates()
    {
        final LineArbiter arbiter = arbiter(Venues.ITCH5, mold, 64, GapRecovery.NONE);
        send(arbiter, 0, mold("S1", 10, 1));
        send(arbiter, 0, mold("S1", 12, 1)); // held
        send(arbiter, 0, mold("S2", 1, 1));
        send(arbiter, 1, mold("S1", 11, 1)); // B's late copy of the old session
        send(arbiter, 1, mold("S2", 1, 1));
        assertEquals(List.of("S1:10/1", "S1:12/1", "S2:1/1"), delivered);
        assertEquals(2, arbiter.duplicates(1));
    }

    @Test
    void iexSessionAndFirstSequenceWithHeartbeats()
    {
        final List<String> iex = new ArrayList<>();
        final LineArbiter arbiter = arbiter(Venues.IEX_TOPS, (b, o, l, t, n, f) -> iex.add(
            b.getInt(o + IexTp.SESSION_ID_OFFSET, ByteOrder.LITTLE_ENDIAN) + ":" +
            b.getLong(o + IexTp.FIRST_SEQ_OFFSET, ByteOrder.LITTLE_ENDIAN) + "/" +
            b.getShort(o + IexTp.MESSAGE_COUNT_OFFSET, ByteOrder.LITTLE_ENDIAN)), 64, GapRecovery.NONE);
        send(arbiter, 0, iex(7, 100, 3));
        send(arbiter, 1, iex(7, 100, 3));
        send(arbiter, 1, iex(7, 103, 0));
        send(arbiter, 0, iex(7, 103, 0));
        send(arbiter, 1, iex(8, 1, 2));
        send(arbiter, 0, iex(8, 1, 2));
        assertEquals(List.of("7:100/3", "7:103/0", "8:1/2"), iex);
        assertEquals(3, arbiter.duplicates(0) + arbiter.duplicates(1));
    }

    @Test
    void mdp3PacketSequenceAndOneResetOnBothLines()
    {
        final List<Long> mdp3 = new ArrayList<>();
        final LineArbiter arbiter = arbiter(Venues.CME_MDP3,
            (b, o, l, t, n, f) -> mdp3.add(b.getInt(o, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL), 64, GapRecovery.NONE);
        for (final int seq : new int[]{500, 501})
        {
            send(arbiter, 0, mdp3(seq));
            send(arbiter, 1, mdp3(seq));
        }
        later(arbiter, 2_000_000_000L); // CME resets rarely: the reset is well after the epoch began
        send(arbiter, 1, mdp3(1));
        send(arbiter, 0, mdp3(1));
        send(arbiter, 0, mdp3(2));
        send(arbiter, 1, mdp3(2));
        assertEquals(List.of(500L, 501L, 1L, 2L), mdp3, "the reset once, A's copy of 1 a duplicate");
        assertTrue(reports.isEmpty() || reports.stream().allMatch((t) -> t instanceof LineStateException));
    }

    private static UnsafeBuffer iex(final int session, final long firstSeq, final int count)
    {
        final ByteBuffer b = ByteBuffer.allocate(IexTp.HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        b.put(IexTp.VERSION_OFFSET, (byte)1);
        b.putShort(IexTp.PROTOCOL_ID_OFFSET, (short)IexTp.PROTOCOL_TOPS);
        b.putInt(IexTp.SESSION_ID_OFFSET, session);
        b.putShort(IexTp.MESSAGE_COUNT_OFFSET, (short)count);
        b.putLong(IexTp.FIRST_SEQ_OFFSET, firstSeq);
        return new UnsafeBuffer(b.array());
    }

    private static UnsafeBuffer mdp3(final int seq)
    {
        final ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, seq);
        return new UnsafeBuffer(b.array());
    }
}
