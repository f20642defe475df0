package io.tickbus.feed;

import io.tickbus.feed.itch.MoldUdp64Decoder;
import io.tickbus.feed.sim.ItchSimulator;
import io.tickbus.feed.sim.PacketOutput;
import io.tickbus.test.ThreadAllocation;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteOrder;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The arbitrated hot path allocates nothing in steady state: simulated MoldUDP64 packets on two lines, line B one
 * packet behind line A, A losing every 7th packet and B every 11th (so the arbiter holds packets after A's losses
 * until B fills them, drops B's later copies, and declares a gap where both lost one), through the
 * {@link LineArbiter} into the ITCH decoder and encoders. Several passes warm up, then one pass is measured with
 * the thread's allocated bytes.
 */
@Timeout(60)
class ArbitratedPathAllocationTest
{
    private static final long SLACK_BYTES = 1024;

    private final List<UnsafeBuffer> packets = new ArrayList<>();
    private long span;
    private long nowNs;

    @Test
    void arbitratedPathAllocatesNothingInSteadyState()
    {
        final ThreadAllocation allocation = ThreadAllocation.enabledOrSkip();

        simulate();
        final long[] published = new long[1];
        final ParseSummary summaryForCheck = new ParseSummary(0);
        final PacketDecoder decoder = Venues.newDecoder(Venues.ITCH5, new DecoderContext()
            .sink((buffer, offset, length) -> ++published[0])
            .stats(summaryForCheck)
            .tradingDate(LocalDate.of(2023, 8, 22)));
        final LineArbiter arbiter = new LineArbiter(VenueFraming.of(Venues.ITCH5), decoder,
            new String[]{"line A", "line B"}, 10_000, 1_000_000_000L, 1024, 1024 * 1024,
            DecoderContext.MAX_SEQUENCE_JUMP_DEFAULT, (t) -> { throw new AssertionError(t); }, LineStats.NONE,
            GapRecovery.NONE);

        for (int pass = 0; pass < 5; pass++)
        {
            pass(arbiter, pass);
        }
        final long gapsBefore = summaryForCheck.gaps();
        final long publishedBefore = published[0];

        final Runnable measured = () -> pass(arbiter, 5);
        final long allocated = allocation.allocatedBy(measured);
        assertTrue(published[0] - publishedBefore > 10_000, "messages published in the measured pass");
        assertTrue(summaryForCheck.gaps() > gapsBefore, "gaps declared where both lines lost a packet");
        assertTrue(arbiter.holdsFilled() > 0 && arbiter.won(1) > 0 && arbiter.duplicates(1) > 0, arbiter.toJson());
        assertEquals(0, summaryForCheck.malformed());
        assertTrue(allocated <= SLACK_BYTES, "allocated " + allocated + " bytes in one arbitrated pass");
    }

    private void pass(final LineArbiter arbiter, final int pass)
    {
        final int n = packets.size();
        for (int i = 0; i <= n; i++)
        {
            nowNs += 1_000;
            arbiter.poll(nowNs);
            if (i < n && 0 != i % 7)
            {
                final UnsafeBuffer p = shifted(i, pass);
                arbiter.onPacket(0, p, 0, p.capacity(), nowNs, i);
            }
            if (i > 0 && 0 != (i - 1) % 11)
            {
                final UnsafeBuffer p = shifted(i - 1, pass);
                arbiter.onPacket(1, p, 0, p.capacity(), nowNs, i - 1);
            }
        }
        for (int i = 0; i < 100; i++)
        {
            nowNs += 1_000;
            arbiter.poll(nowNs); // the last hold expires
        }
    }

    /** Packet i with its sequence moved on by whole passes, so every pass continues the session. */
    private UnsafeBuffer shifted(final int i, final int pass)
    {
        final UnsafeBuffer p = packets.get(i);
        p.putLong(MoldUdp64Decoder.SEQUENCE_OFFSET, originalSeq[i] + pass * span, ByteOrder.BIG_ENDIAN);
        return p;
    }

    private long[] originalSeq;

    private void simulate()
    {
        final PacketOutput collect = new PacketOutput()
        {
            public void send(final DirectBuffer buffer, final int offset, final int length)
            {
                final UnsafeBuffer copy = new UnsafeBuffer(new byte[length]);
                copy.putBytes(0, buffer, offset, length);
                packets.add(copy);
            }

            public long packets()
            {
                return packets.size();
            }

            public void close()
            {
            }
        };
        try (ItchSimulator simulator = new ItchSimulator(new ItchSimulator.Context()
            .symbols(20).rate(0).count(30_000).seed(3).tradingDate(LocalDate.of(2023, 8, 22)).output(collect)))
        {
            while (!simulator.isDone())
            {
                simulator.doWork();
            }
        }
        packets.remove(packets.size() - 1); // the end of session: every pass continues the same session
        final UnsafeBuffer last = packets.get(packets.size() - 1);
        final long first = packets.get(0).getLong(MoldUdp64Decoder.SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN);
        originalSeq = new long[packets.size()];
        for (int i = 0; i < originalSeq.length; i++)
        {
            originalSeq[i] = packets.get(i).getLong(MoldUdp64Decoder.SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN);
        }
        span = last.getLong(MoldUdp64Decoder.SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN) +
            (last.getShort(MoldUdp64Decoder.COUNT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF) - first;
    }
}
