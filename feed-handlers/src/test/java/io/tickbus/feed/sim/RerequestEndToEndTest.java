package io.tickbus.feed.sim;

import io.tickbus.feed.FeedHandlerAgent;
import io.tickbus.feed.LineArbiter;
import io.tickbus.feed.ParseSummary;
import io.tickbus.feed.Venues;
import io.tickbus.feed.itch.MoldUdp64Decoder;
import io.tickbus.feed.itch.MoldUdp64RerequestClient;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MoldUDP64 re-request over real UDP sockets on loopback (ports 15800-15809): the ITCH simulator's packets are lost
 * at the same sequences on every line, its {@link RerequestServer} answers from its history, and the feed handler
 * fills every gap (A/B and one line); with the server down every gap becomes a GapNotice after its retries and the
 * feed goes on.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RerequestEndToEndTest
{
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(closeables);
    }

    /** Drops every {@code every}-th data packet and a run of {@code burst} from packet 50, on all lines at once. */
    static final class DropEvery extends PacketOutput
    {
        private final PacketOutput output;
        private final int every;
        private final int burst;
        long packets;
        long messagesLost;
        long runsLost;
        private boolean lastLost;

        DropEvery(final PacketOutput output, final int every, final int burst)
        {
            this.output = output;
            this.every = every;
            this.burst = burst;
        }

        public void send(final DirectBuffer buffer, final int offset, final int length)
        {
            packets++;
            final int count = buffer.getShort(offset + MoldUdp64Decoder.COUNT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final boolean data = count > 0 && MoldUdp64Decoder.END_OF_SESSION_COUNT != count;
            final boolean lose = data && (0 == packets % every || (packets >= 50 && packets < 50 + burst));
            if (lose)
            {
                messagesLost += count;
                runsLost += lastLost ? 0 : 1;
            }
            else
            {
                output.send(buffer, offset, length);
            }
            lastLost = lose;
        }

        public long packets()
        {
            return packets;
        }

        public void close()
        {
            output.close();
        }
    }

    private RerequestServer server(final int port)
    {
        final RerequestServer server = new RerequestServer(new MoldUdp64History(65_536, 64 * 1024 * 1024), port, 1400);
        final AgentRunner runner = new AgentRunner(
            new BackoffIdleStrategy(1, 1, 10_000, 200_000), errors::add, null, server);
        AgentRunner.startOnThread(runner);
        closeables.add(0, runner);
        return server;
    }

    private FeedHandlerAgent handler(
        final ParseSummary summary, final ArbitrationEndToEndTest.ExactlyOnceSink sink, final String rerequest,
        final long timeoutMs, final int retries, final String... lines) throws Exception
    {
        return track(new FeedHandlerAgent(new FeedHandlerAgent.Context()
            .venue(Venues.ITCH5)
            .from(lines)
            .rerequest(rerequest)
            .rerequestTimeoutNs(TimeUnit.MILLISECONDS.toNanos(timeoutMs))
            .rerequestRetries(retries)
            .rerequestMaxCount(100)
            .abHoldNs(TimeUnit.MILLISECONDS.toNanos(2))
            .lineTimeoutNs(TimeUnit.SECONDS.toNanos(30))
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
            int work = simulator.isDone() ? 0 : simulator.doWork();
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

    private ItchSimulator simulator(final PacketOutput output, final long seed)
    {
        return track(new ItchSimulator(new ItchSimulator.Context()
            .symbols(8).count(20_000).rate(200_000).seed(seed).maxMessagesPerCycle(256).output(output)));
    }

    @Test
    void abLinesLosingTheSamePacketsAreFilledByReRequestsWithNoGap() throws Exception
    {
        final String lineA = "udp://127.0.0.1:15800";
        final String lineB = "udp://127.0.0.1:15801";
        final RerequestServer server = server(15802);
        final ParseSummary summary = new ParseSummary();
        final ArbitrationEndToEndTest.ExactlyOnceSink sink = new ArbitrationEndToEndTest.ExactlyOnceSink();
        final FeedHandlerAgent handler = handler(summary, sink, "udp://127.0.0.1:15802", 50, 3, lineA, lineB);
        final DropEvery loss = new DropEvery(PacketOutput.fanOut(PacketOutput.udp(lineA), PacketOutput.udp(lineB)),
            20, 5);
        final ItchSimulator simulator = simulator(server.recording(loss), 7);
        final LineArbiter arbiter = handler.arbiter();
        final MoldUdp64RerequestClient client = handler.rerequest();

        run(simulator, handler, () -> simulator.isDone() && summary.messages() == simulator.messagesSent() &&
            0 == arbiter.held());

        assertTrue(loss.messagesLost > 0 && loss.runsLost > 5, "packets lost on both lines: " + loss.runsLost);
        assertEquals(0, sink.repeats, "no message twice");
        assertEquals(simulator.messagesSent(), sink.messages, "every message published once");
        assertEquals(0, sink.gapNotices, "no gap notice: " + client.toJson());
        assertEquals(0, summary.gaps());
        assertEquals(loss.messagesLost, client.recovered(), "every lost message recovered: " + client.toJson());
        assertTrue(client.requests() >= loss.runsLost, client.toJson());
        assertEquals(0, client.givenUp());
        assertEquals(0, client.malformed());
        assertEquals(0, summary.malformed());
        assertTrue(errors.isEmpty(), errors.toString());
        System.out.println("A/B same loss, re-request: " + loss.runsLost + " gaps, " + loss.messagesLost +
            " messages lost; client " + client.toJson() + "; server " + server.toJson());
    }

    @Test
    void oneLossyLineIsFilledByReRequests() throws Exception
    {
        final String line = "udp://127.0.0.1:15803";
        final RerequestServer server = server(15804);
        final ParseSummary summary = new ParseSummary();
        final ArbitrationEndToEndTest.ExactlyOnceSink sink = new ArbitrationEndToEndTest.ExactlyOnceSink();
        final FeedHandlerAgent handler = handler(summary, sink, "udp://127.0.0.1:15804", 50, 3, line);
        final DropEvery loss = new DropEvery(PacketOutput.udp(line), 13, 40);
        final ItchSimulator simulator = simulator(server.recording(loss), 9);
        final MoldUdp64RerequestClient client = handler.rerequest();

        run(simulator, handler, () -> simulator.isDone() && summary.messages() == simulator.messagesSent() &&
            0 == handler.arbiter().held());

        assertEquals(0, sink.repeats);
        assertEquals(simulator.messagesSent(), sink.messages);
        assertEquals(0, sink.gapNotices, client.toJson());
        assertEquals(loss.messagesLost, client.recovered(), client.toJson());
        assertTrue(loss.runsLost > 5);
        assertTrue(server.messagesSent() >= loss.messagesLost, server.toJson());
    }

    @Test
    void withTheServerDownGapsBecomeGapNoticesAfterTheRetriesAndTheFeedGoesOn() throws Exception
    {
        final String line = "udp://127.0.0.1:15805";
        final ParseSummary summary = new ParseSummary();
        final ArbitrationEndToEndTest.ExactlyOnceSink sink = new ArbitrationEndToEndTest.ExactlyOnceSink();
        final long timeoutMs = 20;
        final int retries = 1;
        final FeedHandlerAgent handler = handler(summary, sink, "udp://127.0.0.1:15806", timeoutMs, retries, line);
        final DropEvery loss = new DropEvery(PacketOutput.udp(line), 100, 1);
        final ItchSimulator simulator = simulator(loss, 11);
        final MoldUdp64RerequestClient client = handler.rerequest();
        final long startNs = System.nanoTime();

        run(simulator, handler, () -> simulator.isDone() &&
            summary.messages() == simulator.messagesSent() - loss.messagesLost && 0 == handler.arbiter().held());
        final long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);

        assertTrue(loss.runsLost > 3, "gaps: " + loss.runsLost);
        assertEquals(0, sink.repeats);
        assertEquals(simulator.messagesSent() - loss.messagesLost, sink.messages, "later packets flowed");
        assertEquals(loss.runsLost, sink.gapNotices, "each gap given up is announced: " + client.toJson());
        assertEquals(loss.runsLost, summary.gaps());
        assertEquals(loss.runsLost, client.givenUp(), client.toJson());
        assertEquals(loss.runsLost * (retries + 1), client.timeouts(), "each request timed out: " + client.toJson());
        assertEquals(0, client.recovered());
        final long boundMs = loss.runsLost * ((retries + 1) * timeoutMs + 20) + 2_000;
        assertTrue(tookMs < boundMs, "each gap given up within its timeouts: " + tookMs + " ms, bound " + boundMs);
        System.out.println("server down: " + loss.runsLost + " gaps announced in " + tookMs + " ms; " +
            client.toJson());
    }

    private <T extends AutoCloseable> T track(final T closeable)
    {
        closeables.add(0, closeable);
        return closeable;
    }
}
