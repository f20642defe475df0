package io.tickbus.embedded;

import io.tickbus.archive.DayCatalog;
import io.tickbus.client.BusSubscriber;
import io.tickbus.client.MarketDataListener;
import io.tickbus.client.ProcessEpochClock;
import io.tickbus.client.SequenceAccounting;
import io.tickbus.feed.FeedHandlerAgent;
import io.tickbus.feed.Venues;
import io.tickbus.feed.sim.ItchSimulator;
import io.tickbus.feed.sim.PacketOutput;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link EmbeddedBus}: the whole set (driver, archive, sequencer on loopback 16400.., feed handler on a simulated
 * capture) delivers every message on both streams and records both, and leaves no directory behind; the parts are
 * optional; bad settings are clear errors.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedBusTest
{
    private static final int SEQUENCER_PORT = 16400;
    private static final long MESSAGES = 2_000;

    private final List<String> errors = new ArrayList<>();
    private EmbeddedBus bus;
    private BusSubscriber direct;
    private BusSubscriber sequenced;

    @AfterEach
    void tearDown()
    {
        CloseHelper.closeAll(direct, sequenced, bus);
    }

    @Test
    void theWholeSetDeliversEveryMessageOnBothStreamsRecordsBothAndCleansUp(@TempDir final Path tmp) throws Exception
    {
        final Path capture = tmp.resolve("itch.pcap");
        try (ItchSimulator sim = new ItchSimulator(new ItchSimulator.Context()
            .symbols(4).rate(0).count(MESSAGES).seed(7)
            .output(PacketOutput.pcap(capture, 16_401, ProcessEpochClock.get()))))
        {
            while (!sim.isDone())
            {
                sim.doWork();
            }
        }

        bus = EmbeddedBus.launch(new EmbeddedBus.Context()
            .name("embedded-test")
            .sequencerPort(SEQUENCER_PORT)
            .feed(new FeedHandlerAgent.Context()
                .venue(Venues.ITCH5).from(capture.toString()).speed(0).tradingDate(LocalDate.now(ZoneOffset.UTC)))
            .errorHandler((ex) -> errors.add(String.valueOf(ex))));
        final SequenceAccounting directSeen = new SequenceAccounting();
        final SequenceAccounting sequencedSeen = new SequenceAccounting();
        direct = new BusSubscriber(bus.aeron(), bus.channel(), bus.directStreamId(), counting(directSeen));
        sequenced = new BusSubscriber(bus.aeron(), bus.channel(), bus.sequencedStreamId(), counting(sequencedSeen));
        final List<String> dirs = List.of(bus.aeronDirectoryName(), bus.archiveDir().toString());

        final long connectDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!bus.directPublisher().isConnected())
        {
            assertTrue(System.nanoTime() < connectDeadline, "direct stream's subscribers did not connect");
            Thread.sleep(1);
        }
        bus.startFeed();

        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!bus.feed().isDone() || directSeen.messages() < bus.directPublisher().publishedCount() ||
            sequencedSeen.messages() < bus.directPublisher().publishedCount())
        {
            if (0 == direct.poll(256) + sequenced.poll(256))
            {
                Thread.sleep(1);
            }
            assertTrue(System.nanoTime() < deadline, "stalled: direct " + directSeen.messages() + ", sequenced " +
                sequencedSeen.messages() + " of " + bus.directPublisher().publishedCount());
        }
        bus.stopFeed();

        final long published = bus.directPublisher().publishedCount();
        assertTrue(published > MESSAGES, "order flow and the directory: " + published);
        assertEquals(published, directSeen.messages());
        assertEquals(published, sequencedSeen.messages());
        assertEquals(1, sequencedSeen.firstGlobalSeq());
        assertEquals(published, sequencedSeen.lastGlobalSeq());
        assertEquals(0, sequencedSeen.gaps() + sequencedSeen.duplicates());
        assertEquals(0, bus.droppedCount());

        assertTrue(bus.archive().awaitCatalogCaughtUp(20_000), "catalog caught up");
        bus.archive().flushCatalog();
        final DayCatalog catalog = DayCatalog.load(bus.archiveDir());
        assertEquals(published, catalog.messages(bus.directStreamId()));
        assertEquals(published, catalog.messages(bus.sequencedStreamId()));
        assertEquals(List.of(), errors);

        CloseHelper.closeAll(direct, sequenced, bus);
        for (final String dir : dirs)
        {
            assertFalse(new File(dir).exists(), "removed on close: " + dir);
        }
    }

    @Test
    void withoutArchiveSequencerOrFeedOnlyTheDriverAndClientRun()
    {
        bus = EmbeddedBus.launch(new EmbeddedBus.Context()
            .name("embedded-bare").archive(false).sequencer(false).errorHandler((ex) -> errors.add(String.valueOf(ex))));
        assertTrue(new File(bus.aeronDirectoryName()).isDirectory());
        assertFalse(bus.aeron().isClosed());
        assertNull(bus.archive());
        assertNull(bus.archiveDir());
        assertNull(bus.sequencer());
        assertNull(bus.feed());
        assertNull(bus.sequencerClient());
        assertEquals(0, bus.droppedCount());
        final IllegalStateException ex = assertThrows(IllegalStateException.class, bus::startFeed);
        assertTrue(ex.getMessage().contains("no feed handler"), ex.getMessage());
        bus.stopFeed(); // nothing to stop: no error
    }

    @Test
    void aFeedWhoseSourceCannotBeOpenedFailsTheLaunchAndLeavesNothingBehind() throws Exception
    {
        final String root = io.tickbus.driver.TickbusDriver.Configuration.EMBEDDED_ROOT;
        final String mine = "tickbus-embedded-nofeed-" + ProcessHandle.current().pid() + "-";
        final Path missing = Path.of("/nonexistent/tickbus/capture.pcap");
        assertThrows(RuntimeException.class, () -> EmbeddedBus.launch(new EmbeddedBus.Context()
            .name("embedded-nofeed")
            .archive(false)
            .sequencer(false)
            .feed(new FeedHandlerAgent.Context().venue(Venues.ITCH5).from(missing.toString()).speed(0))
            .errorHandler((ex) -> errors.add(String.valueOf(ex)))));
        try (var names = Files.list(Path.of(root)))
        {
            assertEquals(0, names.filter((p) -> p.getFileName().toString().startsWith(mine)).count(),
                "the driver's directory is removed after a failed launch");
        }
    }

    @Test
    void badSettingsAreClearErrors()
    {
        final IllegalArgumentException noHandler = assertThrows(IllegalArgumentException.class,
            () -> new EmbeddedBus.Context().conclude());
        assertTrue(noHandler.getMessage().contains("error handler"), noHandler.getMessage());
        final IllegalArgumentException sameStream = assertThrows(IllegalArgumentException.class,
            () -> new EmbeddedBus.Context().errorHandler(Throwable::printStackTrace)
                .directStreamId(5).sequencedStreamId(5).conclude());
        assertTrue(sameStream.getMessage().contains("must differ"), sameStream.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EmbeddedBus.Context()
            .errorHandler(Throwable::printStackTrace).sequencerPort(70_000).conclude());
        assertThrows(IllegalArgumentException.class, () -> new EmbeddedBus.Context()
            .errorHandler(Throwable::printStackTrace).name("").conclude());
    }

    private static MarketDataListener counting(final SequenceAccounting accounting)
    {
        return new MarketDataListener()
        {
            public void onMessage(
                final DirectBuffer buffer, final int offset, final int length, final int templateId,
                final long position)
            {
                accounting.onMessage(buffer, offset);
            }
        };
    }
}
