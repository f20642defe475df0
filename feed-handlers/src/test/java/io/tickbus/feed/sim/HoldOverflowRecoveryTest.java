package io.tickbus.feed.sim;

import io.tickbus.feed.FeedHandlerAgent;
import io.tickbus.feed.ParseSummary;
import io.tickbus.feed.Venues;
import io.tickbus.feed.itch.MoldUdp64RerequestClient;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gap whose held packets outgrow the arbiter's hold bound (a paused handler, a burst after a SIGSTOP) is still
 * offered to recovery: with the re-request server up it is filled and nothing is announced; with it down, every
 * declared gap is counted given up, so that an operator can reconcile gaps (the decoder's counter) with the
 * recovery counters. Real UDP on loopback, ports 16000-16009, a hold of 4 packets so that every gap overflows it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HoldOverflowRecoveryTest
{
    private static final int HOLD_PACKETS = 4;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(closeables);
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
            .abHoldPackets(HOLD_PACKETS)
            .lineTimeoutNs(TimeUnit.SECONDS.toNanos(30))
            .errorHandler(errors::add)
            .sink(sink)
            .stats(summary)));
    }

    private ItchSimulator simulator(final PacketOutput output, final long seed)
    {
        return track(new ItchSimulator(new ItchSimulator.Context()
            .symbols(8).count(20_000).rate(200_000).seed(seed).maxMessagesPerCycle(256).output(output)));
    }

    /** The simulator sends a cycle, then the handler reads everything there is: a burst after each gap. */
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

    @Test
    void gapsThatOverflowTheHoldAreStillFilledByReRequests() throws Exception
    {
        final String line = "udp://127.0.0.1:16000";
        final RerequestServer server = server(16001);
        final ParseSummary summary = new ParseSummary();
        final ArbitrationEndToEndTest.ExactlyOnceSink sink = new ArbitrationEndToEndTest.ExactlyOnceSink();
        final FeedHandlerAgent handler = handler(summary, sink, "udp://127.0.0.1:16001", 50, 3, line);
        final RerequestEndToEndTest.DropEvery loss = new RerequestEndToEndTest.DropEvery(PacketOutput.udp(line),
            17, 30);
        final ItchSimulator simulator = simulator(server.recording(loss), 21);
        final MoldUdp64RerequestClient client = handler.rerequest();

        run(simulator, handler, () -> simulator.isDone() && 0 == handler.arbiter().held() && settled(handler));

        assertTrue(loss.runsLost > 5, "gaps: " + loss.runsLost);
        assertEquals(0, sink.repeats, "no message twice");
        assertEquals(simulator.messagesSent(), sink.messages, "every message published once");
        assertEquals(0, sink.gapNotices, "no gap notice: " + client.toJson() + " " + handler.arbiter().toJson());
        assertEquals(0, summary.gaps());
        assertEquals(0, handler.arbiter().gapsDeclared());
        assertTrue(client.recovered() > loss.messagesLost, "the lost and the deferred messages were recovered: " +
            client.toJson());
        assertEquals(0, client.givenUp());
        assertTrue(client.deferred() > 0, "the hold overflowed: " + client.toJson());
        assertEquals(client.deferred(), handler.arbiter().deferred());
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void withTheServerDownEveryDeclaredGapIsCountedGivenUp() throws Exception
    {
        final String line = "udp://127.0.0.1:16002";
        final ParseSummary summary = new ParseSummary();
        final ArbitrationEndToEndTest.ExactlyOnceSink sink = new ArbitrationEndToEndTest.ExactlyOnceSink();
        final FeedHandlerAgent handler = handler(summary, sink, "udp://127.0.0.1:16003", 20, 1, line);
        final RerequestEndToEndTest.DropEvery loss = new RerequestEndToEndTest.DropEvery(PacketOutput.udp(line),
            100, 1);
        final ItchSimulator simulator = simulator(loss, 23);
        final MoldUdp64RerequestClient client = handler.rerequest();

        run(simulator, handler, () -> simulator.isDone() && 0 == handler.arbiter().held() && settled(handler));

        assertTrue(loss.runsLost > 3, "gaps: " + loss.runsLost);
        assertTrue(summary.gaps() > 0, "gaps announced");
        assertEquals(0, sink.repeats, "no message twice");
        assertEquals(summary.gaps(), sink.gapNotices, "each gap announced once");
        assertEquals(summary.gaps(), handler.arbiter().gapsDeclared(), handler.arbiter().toJson());
        assertEquals(summary.gaps(), client.givenUp(), "every declared gap was given up by recovery: " +
            client.toJson() + " " + handler.arbiter().toJson());
        assertTrue(client.givenUpHoldFull() > 0, "a full hold with the server silent gives up: " + client.toJson());
        assertTrue(client.givenUpHoldFull() <= client.givenUp(), client.toJson());
        assertEquals(0, client.recovered());
    }

    private static boolean settled(final FeedHandlerAgent handler)
    {
        for (int i = 0; i < 50; i++)
        {
            if (0 != handler.doWork() || handler.arbiter().held() > 0)
            {
                return false;
            }
            try
            {
                Thread.sleep(2);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private <T extends AutoCloseable> T track(final T closeable)
    {
        closeables.add(0, closeable);
        return closeable;
    }
}
