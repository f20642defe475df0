package io.tickbus.feed.sim;

import io.aeron.Aeron;
import io.tickbus.client.BusChannels;
import io.tickbus.client.BusPublisher;
import io.tickbus.client.BusSubscriber;
import io.tickbus.client.MarketDataListener;
import io.tickbus.feed.FeedCounters;
import io.tickbus.feed.FeedHandlerAgent;
import io.tickbus.feed.FeedStats;
import io.tickbus.feed.ParseSummary;
import io.tickbus.feed.Venues;
import io.tickbus.sbe.AddOrderDecoder;
import io.tickbus.sbe.CancelOrderDecoder;
import io.tickbus.sbe.EndOfSessionDecoder;
import io.tickbus.sbe.ExecuteOrderDecoder;
import io.tickbus.sbe.InstrumentDefinitionDecoder;
import io.tickbus.sbe.ModifyOrderDecoder;
import io.tickbus.sbe.TradeDecoder;
import io.tickbus.test.EmbeddedDriver;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.MutableLong;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end on one thread: the ITCH simulator sends MoldUDP64 over loopback UDP (port 21001), the feed handler
 * agent receives and normalizes it into a BusPublisher on IPC (real embedded media driver), a BusSubscriber
 * receives; every message is accounted for against the simulator's own counts.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SimulatorEndToEndTest
{
    private static final int STREAM = 21001;
    private static final String UDP = "udp://127.0.0.1:21001";

    private EmbeddedDriver driver;
    private Aeron aeron;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @TempDir
    Path tmp;

    @BeforeEach
    void setUp()
    {
        driver = EmbeddedDriver.launch("feed-e2e");
        aeron = driver.aeron();
    }

    @AfterEach
    void tearDown()
    {
        final String dir = driver.directory();
        CloseHelper.closeAll(closeables);
        CloseHelper.closeAll(driver);
        assertFalse(new File(dir).exists());
    }

    @Test
    void simulatorOverUdpIntoHandlerIntoBusAllMessagesAccountedFor() throws Exception
    {
        final long count = 20_000;
        final int symbols = 12;
        final BusPublisher publisher = track(new BusPublisher(aeron, BusChannels.IPC, STREAM));
        final MutableLong received = new MutableLong();
        final long[] byTemplate = new long[16];
        final MutableLong lastSourceSeq = new MutableLong();
        final MutableLong outOfOrder = new MutableLong();
        final BusSubscriber subscriber = track(new BusSubscriber(aeron, BusChannels.IPC, STREAM,
            new MarketDataListener()
            {
                public void onMessage(
                    final DirectBuffer buffer, final int offset, final int length, final int templateId,
                    final long position)
                {
                    received.increment();
                    byTemplate[templateId]++;
                }

                public void onAddOrder(final AddOrderDecoder msg)
                {
                    if (msg.common().sourceSeq() <= lastSourceSeq.get())
                    {
                        outOfOrder.increment();
                    }
                    lastSourceSeq.set(msg.common().sourceSeq());
                    assertTrue(msg.common().receiveTime() > 0 && msg.common().publishTime() > 0, "stamped");
                }
            }));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!publisher.isConnected())
        {
            assertTrue(System.nanoTime() < deadline, "subscriber connected");
            Thread.onSpinWait();
        }

        final ParseSummary summary = new ParseSummary();
        final FeedCounters counters = track(new FeedCounters(aeron, "itch5 e2e", Throwable::printStackTrace));
        final FeedHandlerAgent handler = track(new FeedHandlerAgent(new FeedHandlerAgent.Context()
            .venue(Venues.ITCH5)
            .from(UDP)
            .feedId(3)
            .sink(publisher)
            .stats(FeedStats.compose(counters, summary))));
        final ItchSimulator simulator = track(new ItchSimulator(new ItchSimulator.Context()
            .symbols(symbols)
            .count(count)
            .rate(0)
            .seed(7)
            .maxMessagesPerCycle(256)
            .output(PacketOutput.udp(UDP))));

        final SleepingMillisIdleStrategy idle = new SleepingMillisIdleStrategy(1);
        final long endBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!(simulator.isDone() && summary.messages() == simulator.messagesSent() && summary.heartbeats() >= 1 &&
            received.get() == counters.published()))
        {
            assertTrue(System.nanoTime() < endBy, "all messages through within 90 s: " + summary.toJson() +
                " sent=" + simulator.messagesSent() + " received=" + received.get());
            int work = simulator.doWork();
            int handled;
            do
            {
                handled = handler.doWork();
                work += handled;
                work += subscriber.poll(256);
            }
            while (handled > 0);
            idle.idle(work);
        }

        final long total = simulator.messagesSent();
        assertEquals(2 + 2L * symbols + 1 + count + 3, total, "O S (R H)xN Q, count, M E C");
        assertEquals(0, summary.malformed());
        assertEquals(0, summary.gaps());
        for (final char type : new char[]{'S', 'R', 'H', 'A', 'F', 'E', 'C', 'X', 'D', 'U', 'P'})
        {
            assertEquals(simulator.messagesSent(type), summary.count(String.valueOf(type)), "type " + type);
            assertTrue(simulator.messagesSent(type) > 0, "simulator produced " + type);
        }
        assertEquals(summary.packets(), simulator.packetsSent(), "every UDP packet received");
        assertEquals(total, counters.messages());
        assertEquals(0, counters.dropped());

        // One Tickbus message per ITCH message, except: R -> definition; S C -> EndOfSession.
        assertEquals(total, received.get(), "one normalized message per ITCH message here");
        assertEquals(symbols, byTemplate[InstrumentDefinitionDecoder.TEMPLATE_ID]);
        assertEquals(simulator.messagesSent('A') + simulator.messagesSent('F'), byTemplate[AddOrderDecoder.TEMPLATE_ID]);
        assertEquals(simulator.messagesSent('E') + simulator.messagesSent('C'),
            byTemplate[ExecuteOrderDecoder.TEMPLATE_ID]);
        assertEquals(simulator.messagesSent('X') + simulator.messagesSent('D'),
            byTemplate[CancelOrderDecoder.TEMPLATE_ID]);
        assertEquals(simulator.messagesSent('U'), byTemplate[ModifyOrderDecoder.TEMPLATE_ID]);
        assertEquals(simulator.messagesSent('P'), byTemplate[TradeDecoder.TEMPLATE_ID]);
        assertEquals(1, byTemplate[EndOfSessionDecoder.TEMPLATE_ID]);
        assertEquals(0, outOfOrder.get(), "source sequence increases");
    }

    private <T extends AutoCloseable> T track(final T closeable)
    {
        closeables.add(0, closeable);
        return closeable;
    }
}
