package io.tickbus.archive;

import io.aeron.ExclusivePublication;
import io.aeron.archive.client.AeronArchive;
import io.tickbus.archive.client.LateJoinSubscriber;
import org.agrona.CloseHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Late join on a live stream (IPC, and UDP unicast on loopback) that keeps publishing: the late subscriber sees source sequence 1..N with no
 * gap and no duplicate, and hands over to live while the publisher is still running.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LateJoinSubscriberTest
{
    private static final int STREAM = 1101;
    private static final int TOTAL = 3_000;

    @TempDir
    Path dir;

    private TickbusArchive archive;
    private AeronArchive client;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void close()
    {
        executor.shutdownNow();
        CloseHelper.closeAll(client, archive);
    }

    @ParameterizedTest
    @ValueSource(strings = {"aeron:ipc", "aeron:udp?endpoint=127.0.0.1:25101"})
    void lateJoinWhileLiveIsCompleteWithoutGapOrDuplicate(final String channel) throws Exception
    {
        archive = TickbusArchive.launch(new TickbusArchive.Context()
            .archiveDir(dir).controlChannel(null).record(channel + ":" + STREAM));
        client = TickbusArchive.connectLocal(archive.aeron());
        final AtomicInteger published = new AtomicInteger();
        final long t0 = MarketDataGenerator.epochNs("2026-11-21T14:30:00Z");

        final Future<?> publisher = executor.submit(() ->
        {
            try (ExclusivePublication publication = archive.aeron().addExclusivePublication(channel, STREAM))
            {
                DayReplayerTest.awaitConnected(publication);
                final MarketDataGenerator generator = new MarketDataGenerator();
                for (int i = 0; i < TOTAL; i++)
                {
                    generator.publish(publication, t0 + i * 1_000_000L);
                    published.incrementAndGet();
                    if (i % 2 == 0)
                    {
                        Thread.sleep(1);
                    }
                }
                // keep the publication (and so the live image) open until the late joiner has read everything
                Thread.sleep(5_000);
            }
            return null;
        });

        while (published.get() < 1_000)
        {
            Thread.sleep(1);
        }

        final ReceivedMessages received = new ReceivedMessages();
        int publishedAtHandover = -1;
        try (LateJoinSubscriber late = new LateJoinSubscriber(
            archive.aeron(), client, new LateJoinSubscriber.Context().live(channel, STREAM), received))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (received.count < TOTAL)
            {
                if (0 == late.poll(64))
                {
                    Thread.sleep(0, 100_000);
                }
                if (publishedAtHandover < 0 && late.isLive())
                {
                    publishedAtHandover = published.get();
                }
                assertTrue(System.nanoTime() < deadline, "late joiner stalled at " + received.count);
            }
            assertTrue(late.isLive(), "handed over to live");
            assertNotEquals(io.aeron.Aeron.NULL_VALUE, late.handoverPosition());
        }
        assertTrue(publishedAtHandover > 0 && publishedAtHandover < TOTAL,
            "handover happened while the live stream was running: " + publishedAtHandover);

        assertEquals(TOTAL, received.sourceSeqs.size());
        for (int i = 0; i < TOTAL; i++)
        {
            assertEquals(i + 1, received.sourceSeqs.get(i), "sequence at index " + i);
        }
        for (int i = 1; i < TOTAL; i++)
        {
            assertTrue(received.positions.get(i) > received.positions.get(i - 1), "positions increase");
        }
        publisher.cancel(true);
    }

    @Test
    void noActiveRecordingIsAClearError()
    {
        archive = TickbusArchive.launch(new TickbusArchive.Context().archiveDir(dir).controlChannel(null));
        client = TickbusArchive.connectLocal(archive.aeron());
        final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> new LateJoinSubscriber(
            archive.aeron(), client, new LateJoinSubscriber.Context().live("aeron:ipc", 4242), new ReceivedMessages()));
        assertTrue(ex.getMessage().contains("no active recording"), ex.getMessage());
    }
}
