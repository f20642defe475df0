package io.tickbus.feed.sim;

import io.tickbus.client.CommonBlock;
import io.tickbus.client.MessageSink;
import io.tickbus.feed.FeedHandlerAgent;
import io.tickbus.feed.LineArbiter;
import io.tickbus.feed.LineStateException;
import io.tickbus.feed.ParseSummary;
import io.tickbus.feed.Venues;
import io.tickbus.feed.itch.MoldUdp64Decoder;
import io.tickbus.sbe.GapNoticeDecoder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A/B arbitration over real UDP sockets on loopback (ports 15100-15103): the ITCH simulator sends every MoldUDP64
 * packet on line A and line B, the feed handler agent reads both and publishes into a sink that checks that no
 * message comes twice. Every message is accounted for against what the simulator sent and what each line lost.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ArbitrationEndToEndTest
{
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(closeables);
    }

    /** Checks the source sequence of every message increases (none twice) and counts gap notices. */
    static final class ExactlyOnceSink implements MessageSink
    {
        long messages;
        long gapNotices;
        long lastSourceSeq = -1;
        long repeats;

        public long publish(final MutableDirectBuffer buffer, final int offset, final int length)
        {
            final long sourceSeq = CommonBlock.sourceSeq(buffer, offset);
            if (sourceSeq <= lastSourceSeq)
            {
                repeats++;
            }
            lastSourceSeq = sourceSeq;
            if (GapNoticeDecoder.TEMPLATE_ID == CommonBlock.templateId(buffer, offset))
            {
                gapNotices++;
            }
            else
            {
                messages++;
            }
            return messages + gapNotices;
        }
    }

    /**
     * Last in the fan-out: sees every packet the simulator sent and whether each line lost it, and works out
     * the messages no line delivered and the gaps the handler must then announce.
     */
    static final class Ledger extends PacketOutput
    {
        private final PacketOutput.Lossy a;
        private final PacketOutput.Lossy b;
        long packets;
        long messagesLostOnBoth;
        long gapsExpected;
        private boolean inLostRun;

        Ledger(final PacketOutput.Lossy a, final PacketOutput.Lossy b)
        {
            this.a = a;
            this.b = b;
        }

        public void send(final DirectBuffer buffer, final int offset, final int length)
        {
            packets++;
            final int count = buffer.getShort(offset + MoldUdp64Decoder.COUNT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int messages = MoldUdp64Decoder.END_OF_SESSION_COUNT == count ? 0 : count;
            if (a.lastLost() && b.lastLost())
            {
                messagesLostOnBoth += messages;
                inLostRun |= messages > 0;
            }
            else
            {
                if (inLostRun)
                {
                    gapsExpected++; // a run of packets no line delivered, closed by one that came through
                }
                inLostRun = false;
            }
        }

        public long packets()
        {
            return packets;
        }

        public void close()
        {
        }
    }

    /** Line B's output, silent from {@code fromMs} to {@code toMs} after its first packet. */
    static final class Silenced extends PacketOutput
    {
        private final PacketOutput output;
        private final long fromNs;
        private final long toNs;
        private long firstNs;

        Silenced(final PacketOutput output, final long fromMs, final long toMs)
        {
            this.output = output;
            this.fromNs = TimeUnit.MILLISECONDS.toNanos(fromMs);
            this.toNs = TimeUnit.MILLISECONDS.toNanos(toMs);
        }

        public void send(final DirectBuffer buffer, final int offset, final int length)
        {
            final long nowNs = System.nanoTime();
            if (0 == firstNs)
            {
                firstNs = nowNs;
            }
            final long sinceNs = nowNs - firstNs;
            if (sinceNs < fromNs || sinceNs >= toNs)
            {
                output.send(buffer, offset, length);
            }
        }

        public long packets()
        {
            return output.packets();
        }

        public void close()
        {
            output.close();
        }
    }

    private FeedHandlerAgent handler(final String a, final String b, final ParseSummary summary,
        final MessageSink sink, final long holdMs, final long lineTimeoutMs) throws Exception
    {
        return track(new FeedHandlerAgent(new FeedHandlerAgent.Context()
            .venue(Venues.ITCH5)
            .from(a, b)
            .abHoldNs(TimeUnit.MILLISECONDS.toNanos(holdMs))
            .lineTimeoutNs(TimeUnit.MILLISECONDS.toNanos(lineTimeoutMs))
            .errorHandler(errors::add)
            .sink(sink)
            .stats(summary)));
    }

    private static void run(final ItchSimulator simulator, final FeedHandlerAgent handler, final BooleanSupplier done)
    {
        final SleepingMillisIdleStrategy idle = new SleepingMillisIdleStrategy(1);
        final long endBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!done.getAsBoolean())
        {
            assertTrue(System.nanoTime() < endBy, "done within 90 s");
            int work = simulator.doWork();
            int handled;
            do
            {
                handled = handler.doWork();
                work += handled;
            }
            while (handled > 0);
            idle.idle(work);
        }
    }

    @Test
    void bothLinesWithIndependentFivePercentLossPublishEveryMessageOnce() throws Exception
    {
        final String lineA = "udp://127.0.0.1:15100";
        final String lineB = "udp://127.0.0.1:15101";
        final ParseSummary summary = new ParseSummary();
        final ExactlyOnceSink sink = new ExactlyOnceSink();
        final FeedHandlerAgent handler = handler(lineA, lineB, summary, sink, 500, 30_000);
        final PacketOutput.Lossy a = PacketOutput.lossy(PacketOutput.udp(lineA), 0.05, 1);
        final PacketOutput.Lossy b = PacketOutput.lossy(PacketOutput.udp(lineB), 0.05, 2);
        final Ledger ledger = new Ledger(a, b);
        final ItchSimulator simulator = track(new ItchSimulator(new ItchSimulator.Context()
            .symbols(8).count(20_000).rate(0).seed(7).maxMessagesPerCycle(256)
            .output(PacketOutput.fanOut(a, b, ledger))));
        final LineArbiter arbiter = handler.arbiter();

        run(simulator, handler, () -> simulator.isDone() &&
            summary.messages() == simulator.messagesSent() - ledger.messagesLostOnBoth && 0 == arbiter.held());

        assertTrue(a.lost() > 0.03 * ledger.packets && b.lost() > 0.03 * ledger.packets,
            "about 5% lost on each line: " + a.lost() + ", " + b.lost() + " of " + ledger.packets);
        assertEquals(0, sink.repeats, "no message published twice");
        assertEquals(simulator.messagesSent() - ledger.messagesLostOnBoth, sink.messages,
            "every message some line delivered is published once");
        assertEquals(ledger.gapsExpected, summary.gaps(), "a gap only where both lines lost the packet");
        assertEquals(ledger.gapsExpected, sink.gapNotices);
        assertEquals(0, summary.malformed());
        assertEquals(ledger.packets - a.lost(), arbiter.packets(0), "every packet line A carried was read");
        assertEquals(ledger.packets - b.lost(), arbiter.packets(1));
        assertTrue(arbiter.won(1) > 0 && arbiter.duplicates(0) > 0 && arbiter.duplicates(1) > 0,
            "B filled A's losses and each line's second copies were dropped: " + arbiter.toJson());
        assertTrue(arbiter.holdsFilled() > 0, arbiter.toJson());
        assertEquals(0, arbiter.downs(0) + arbiter.downs(1));
        System.out.println("A/B 5% loss each: " + ledger.packets + " packets, lost on both " +
            ledger.messagesLostOnBoth + " messages in " + ledger.gapsExpected + " gaps; " + arbiter.toJson());
    }

    @Test
    void withOneLineSilencedTheFeedGoesOnAndReportsTheLineDownThenUp() throws Exception
    {
        final String lineA = "udp://127.0.0.1:15102";
        final String lineB = "udp://127.0.0.1:15103";
        final ParseSummary summary = new ParseSummary();
        final ExactlyOnceSink sink = new ExactlyOnceSink();
        final FeedHandlerAgent handler = handler(lineA, lineB, summary, sink, 50, 150);
        // 8,000 messages at 8,000 a second: about 1 s; line B silent from 250 ms to 750 ms of it.
        final long count = 8_000;
        final ItchSimulator silencedRun = track(new ItchSimulator(new ItchSimulator.Context()
            .symbols(8).count(count).rate(count).seed(11).maxMessagesPerCycle(64)
            .output(PacketOutput.fanOut(PacketOutput.udp(lineA), new Silenced(PacketOutput.udp(lineB), 250, 750)))));
        final LineArbiter arbiter = handler.arbiter();

        run(silencedRun, handler, () -> silencedRun.isDone() && summary.messages() == silencedRun.messagesSent());

        assertEquals(0, sink.repeats);
        assertEquals(silencedRun.messagesSent(), sink.messages, "every message once, line A carried the gap");
        assertEquals(0, summary.gaps());
        assertEquals(1, arbiter.downs(1), "line B down once: " + errors);
        assertFalse(arbiter.isDown(1), "and up again");
        assertEquals(0, arbiter.downs(0));
        final List<String> reports = errors.stream().map(Throwable::getMessage).toList();
        assertEquals(2, reports.size(), reports.toString());
        assertTrue(errors.stream().allMatch((t) -> t instanceof LineStateException));
        assertTrue(reports.get(0).startsWith("line B (" + lineB + ") silent for") &&
            reports.get(0).contains("line down"), reports.get(0));
        assertTrue(reports.get(1).startsWith("line B (" + lineB + ") receiving again"), reports.get(1));
    }

    private <T extends AutoCloseable> T track(final T closeable)
    {
        closeables.add(0, closeable);
        return closeable;
    }
}
