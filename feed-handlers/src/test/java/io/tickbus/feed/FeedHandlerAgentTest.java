package io.tickbus.feed;

import io.tickbus.client.MarketDataListener;
import io.tickbus.sbe.AddOrderDecoder;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The feed handler agent on real capture files: flat out, paced, capture-time stamping, bad configuration. */
@Timeout(60)
class FeedHandlerAgentTest
{
    private static List<Long> run(final Path file, final double speed, final boolean stampCaptureTime)
        throws IOException
    {
        return run(file, speed, new FeedHandlerAgent.Context().stampCaptureTime(stampCaptureTime));
    }

    private static List<Long> run(final Path file, final double speed, final FeedHandlerAgent.Context ctx)
        throws IOException
    {
        final TestSupport.RecordingSink sink = new TestSupport.RecordingSink();
        final ParseSummary summary = new ParseSummary();
        try (FeedHandlerAgent agent = new FeedHandlerAgent(ctx
            .venue(Venues.ITCH5)
            .from(file.toString())
            .speed(speed)
            .packetsPerCycle(2)
            .sink(sink)
            .stats(summary)))
        {
            final SleepingMillisIdleStrategy idle = new SleepingMillisIdleStrategy(1);
            while (!agent.isDone())
            {
                final int work = agent.doWork();
                assertTrue(work <= 2, "bounded duty cycle");
                idle.idle(work);
            }
            assertEquals(5, agent.packets());
            assertEquals(0, agent.doWork());
        }
        assertEquals(5, summary.messages());
        final List<Long> receiveTimes = new ArrayList<>();
        sink.replay(new MarketDataListener()
        {
            public void onAddOrder(final AddOrderDecoder msg)
            {
                receiveTimes.add(msg.common().receiveTime());
            }
        });
        return receiveTimes;
    }

    @Test
    void fileFlatOutAndPacedDeliverEveryPacket() throws IOException
    {
        final Path file = TestSupport.itch("v5.0.20230822_AddOrderNoMPID.pcap");
        final List<Long> captureTimes = new ArrayList<>();
        for (final TestSupport.Record r : TestSupport.records(Files.readAllBytes(file)))
        {
            captureTimes.add(r.seconds() * 1_000_000_000L + r.fraction());
        }
        assertEquals(captureTimes, run(file, 0, true), "capture time stamped as receive time");
        final List<Long> paced = run(file, 1000, false);
        assertEquals(5, paced.size());
        assertTrue(paced.get(0) > captureTimes.get(4), "handler time, not capture time");
    }

    @Test
    void receiveTimeIsTheCaptureTimeByDefaultAndTheReadTimeForADayFile(@org.junit.jupiter.api.io.TempDir
        final Path dir) throws IOException
    {
        final Path capture = TestSupport.itch("v5.0.20230822_AddOrderNoMPID.pcap");
        final List<TestSupport.Record> records = TestSupport.records(Files.readAllBytes(capture));
        final List<Long> captureTimes = new ArrayList<>();
        final java.io.ByteArrayOutputStream day = new java.io.ByteArrayOutputStream();
        for (final TestSupport.Record r : records)
        {
            captureTimes.add(r.seconds() * 1_000_000_000L + r.fraction());
            // Ethernet (with its VLAN tag here) + IPv4 + UDP, then MoldUDP64's 20-byte header (message count at
            // 18); its message blocks are a day file's framing (2-byte big-endian length, message).
            final java.nio.ByteBuffer frame = java.nio.ByteBuffer.wrap(r.frame());
            final int mold = (0x8100 == (frame.getShort(12) & 0xFFFF) ? 18 : 14) + 20 + 8;
            int at = mold + 20;
            for (int m = 0, count = frame.getShort(mold + 18) & 0xFFFF; m < count; m++)
            {
                final int length = frame.getShort(at) & 0xFFFF;
                day.write(r.frame(), at, 2 + length);
                at += 2 + length;
            }
        }
        assertTrue(new FeedHandlerAgent.Context().stampCaptureTime(), "the default is the capture time");
        assertEquals(captureTimes, run(capture, 0, new FeedHandlerAgent.Context()), "a capture: its capture times");

        final Path dayFile = dir.resolve("day.itch");
        Files.write(dayFile, day.toByteArray());
        final long before = System.currentTimeMillis() * 1_000_000L;
        final List<Long> dayTimes = run(dayFile, 0, new FeedHandlerAgent.Context().stampCaptureTime(true));
        final long after = System.currentTimeMillis() * 1_000_000L + 1_000_000L;
        assertEquals(5, dayTimes.size());
        for (final long t : dayTimes)
        {
            assertTrue(t >= before && t <= after, "a day file has no capture time: the time the handler read it " +
                "(not the messages' exchange time), " + t);
        }
    }

    @Test
    void badConfigurationIsRefusedClearly()
    {
        final FeedHandlerAgent.Context noVenue = new FeedHandlerAgent.Context().from("x").sink((b, o, l) -> 1);
        assertThrows(IllegalArgumentException.class, noVenue::conclude);
        assertThrows(IllegalArgumentException.class, () -> FeedHandlerAgent.Context.parseSpeed("fast"));
        assertThrows(IllegalArgumentException.class, () -> FeedHandlerAgent.Context.parseSpeed("-1"));
        assertEquals(0, FeedHandlerAgent.Context.parseSpeed("max"));
        assertThrows(IllegalArgumentException.class, () -> new FeedHandlerAgent.Context()
            .venue(Venues.ITCH5).from("udp://127.0.0.1").sink((b, o, l) -> 1).conclude());
        final IOException missing = assertThrows(IOException.class, () -> new FeedHandlerAgent(
            new FeedHandlerAgent.Context().venue(Venues.ITCH5).from("/no/such/file.pcap").sink((b, o, l) -> 1)));
        assertTrue(missing.getMessage().contains("/no/such/file.pcap"));
        assertFalse(UdpSource.isUdpUri("/tmp/x.pcap"));
    }
}
