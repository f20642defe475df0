package io.tickbus.feed.iex;

import io.aeron.Aeron;
import io.tickbus.client.BusPublisher;
import io.tickbus.client.BusSubscriber;
import io.tickbus.client.MarketDataListener;
import io.tickbus.feed.DecoderContext;
import io.tickbus.feed.ParseSummary;
import io.tickbus.feed.Venues;
import io.tickbus.feed.pcap.CaptureReader;
import io.tickbus.sbe.InstrumentDefinitionDecoder;
import io.tickbus.test.EmbeddedDriver;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2IntCounterMap;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DEEP excerpt through the IEX decoder into a real BusPublisher on IPC (embedded driver), out of a real
 * BusSubscriber: every message the walk of the capture says should be published arrives, per template.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IexBusEndToEndTest
{
    private static final String CHANNEL = "aeron:ipc";
    private static final int STREAM_ID = 4201;

    private EmbeddedDriver driver;
    private Aeron aeron;
    private BusPublisher publisher;
    private BusSubscriber subscriber;

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(subscriber, publisher, driver);
    }

    @Test
    void deepExcerptArrivesWhole() throws Exception
    {
        final var file = IexCaptures.iex(IexCaptures.DEEP_EXCERPT);
        final IexCaptures.Walk walk = IexCaptures.walk(IexCaptures.payloads(file));
        final long expected = walk.expectedDefinitions + walk.expectedTradingStatus + walk.expectedEndOfSession +
            walk.count('Q') + walk.count('T') + walk.count('B') + walk.count('X') + walk.count('8') +
            walk.count('5') + walk.heartbeats;

        driver = EmbeddedDriver.launch("iex-e2e");
        aeron = driver.aeron();
        final Int2IntCounterMap byTemplate = new Int2IntCounterMap(0);
        final long[] definitionsFirst = {0, 0};
        final org.agrona.collections.IntHashSet defined = new org.agrona.collections.IntHashSet();
        subscriber = new BusSubscriber(aeron, CHANNEL, STREAM_ID, new MarketDataListener()
        {
            public void onMessage(
                final DirectBuffer buffer, final int offset, final int length, final int templateId,
                final long position)
            {
                byTemplate.incrementAndGet(templateId);
                final int instrumentId = io.tickbus.client.CommonBlock.instrumentId(buffer, offset);
                if (1 != templateId && 0 != instrumentId && !defined.contains(instrumentId))
                {
                    definitionsFirst[0]++;
                }
                if (io.tickbus.client.CommonBlock.publishTime(buffer, offset) <= 0)
                {
                    definitionsFirst[1]++;
                }
            }

            public void onInstrumentDefinition(final InstrumentDefinitionDecoder msg)
            {
                defined.add(msg.common().instrumentId());
            }
        });
        publisher = new BusPublisher(aeron, CHANNEL, STREAM_ID);
        final SleepingMillisIdleStrategy idle = new SleepingMillisIdleStrategy(1);
        while (!publisher.isConnected() || !subscriber.isConnected())
        {
            idle.idle();
        }

        final ParseSummary summary = new ParseSummary();
        final IexTpDecoder decoder = (IexTpDecoder)Venues.newDecoder(
            Venues.IEX_DEEP, new DecoderContext().sink(publisher).stats(summary));
        try (CaptureReader reader = CaptureReader.open(file))
        {
            while (reader.next())
            {
                decoder.onPacket(reader.buffer(), reader.payloadOffset(), reader.payloadLength(),
                    reader.captureTimeNs(), reader.packetNumber(), reader.fileOffset());
                subscriber.poll(256);
            }
        }

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long received = 0;
        while (received < expected && System.nanoTime() < deadline)
        {
            if (0 == subscriber.poll(1024))
            {
                idle.idle();
            }
            received = subscriber.dispatcher().receivedCount();
        }

        assertEquals(0, summary.malformed());
        assertEquals(0, publisher.droppedCount());
        assertEquals(expected, decoder.encoders().publishedCount());
        assertEquals(expected, received);
        assertEquals(walk.expectedDefinitions, byTemplate.get(1));
        assertEquals(walk.count('8') + walk.count('5'), byTemplate.get(6));
        assertEquals(walk.count('T'), byTemplate.get(7));
        assertEquals(walk.heartbeats, byTemplate.get(11));
        assertEquals(walk.expectedTradingStatus, byTemplate.get(10));
        assertEquals(0, definitionsFirst[0], "a message arrived before its instrument's definition");
        assertEquals(0, definitionsFirst[1], "publish time stamped by the publisher");
        assertTrue(received > 25_000, "received " + received);
    }
}
