package io.tickbus.archive;

import io.aeron.archive.client.AeronArchive;
import io.tickbus.archive.client.DayReplayer;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An archive killed (SIGKILL) mid-recording: on restart the catalog is consistent (every message counted once)
 * and the recording made before the kill replays byte-identical.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ArchiveCrashTest
{
    private static final int STREAM = 1501;
    private static final int COUNT = 1_500;

    @TempDir
    Path dir;

    private Process child;
    private String childDriverDir;
    private TickbusArchive archive;
    private AeronArchive client;
    private java.util.concurrent.ExecutorService executor;

    @AfterEach
    void close()
    {
        CloseHelper.closeAll(client, archive);
        if (null != child)
        {
            child.destroyForcibly();
        }
        if (null != executor)
        {
            executor.shutdownNow();
        }
        if (null != childDriverDir)
        {
            IoUtil.delete(new File(childDriverDir), true);
        }
    }

    @Test
    void killedMidRecordingRestartsConsistentAndReplayable() throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashingArchiveMain.class.getName());
        command.add(dir.toString());
        command.add(Integer.toString(STREAM));
        command.add(Integer.toString(COUNT));
        child = new ProcessBuilder(command).redirectErrorStream(true).start();

        final BufferedReader reader = new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line;
        boolean ready = false;
        while (null != (line = reader.readLine()))
        {
            if (line.startsWith("DRIVER "))
            {
                childDriverDir = line.substring("DRIVER ".length());
            }
            if (line.equals("READY"))
            {
                ready = true;
                break;
            }
        }
        assertTrue(ready, "child archive did not get ready, exit " + (child.isAlive() ? "-" : child.exitValue()));
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        archive = TickbusArchive.launch(new TickbusArchive.Context()
            .archiveDir(dir).controlChannel(null).persistIntervalNs(TimeUnit.MILLISECONDS.toNanos(50)));
        client = TickbusArchive.connectLocal(archive.aeron());
        assertTrue(archive.recoveredFromUncleanStop());
        assertTrue(archive.awaitCatalogCaughtUp(30_000), "catalog caught up after restart");
        archive.flushCatalog();

        final DayCatalog catalog = DayCatalog.load(dir);
        assertEquals(1, catalog.days().size());
        assertEquals(COUNT, catalog.days().get(0).messages(), "each message counted once");

        // the expected bytes: the same generator run again (deterministic encoding)
        final MarketDataGenerator expected = new MarketDataGenerator();
        try (io.aeron.ExclusivePublication sink = archive.aeron().addExclusivePublication("aeron:ipc", 9_501);
            io.aeron.Subscription drain = archive.aeron().addSubscription("aeron:ipc", 9_501))
        {
            final long t0 = MarketDataGenerator.epochNs("2026-11-20T14:30:00Z");
            DayReplayerTest.awaitConnected(sink);
            for (int i = 0; i < COUNT; i++)
            {
                expected.publish(sink, t0 + i * 1_000_000L);
                drain.poll((b, o, l, h) -> { }, 100);
            }
        }

        final ReceivedMessages received = new ReceivedMessages();
        executor = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (io.aeron.Subscription subscription = archive.aeron().addSubscription("aeron:ipc", 9_502))
        {
            final DayReplayer replayer = new DayReplayer(archive.aeron(), client, catalog,
                new DayReplayer.Context().day(LocalDate.of(2026, 11, 20)).streamId(STREAM)
                    .target("aeron:ipc", 9_502).archiveDir(dir));
            final java.util.concurrent.Future<DayReplayer.Result> result = executor.submit(() ->
            {
                try (replayer)
                {
                    return replayer.run();
                }
            });
            final io.aeron.FragmentAssembler assembler = new io.aeron.FragmentAssembler(received);
            while (!received.endOfReplay)
            {
                if (0 == subscription.poll(assembler, 100))
                {
                    Thread.sleep(1);
                }
            }
            assertNotNull(result.get(10, TimeUnit.SECONDS));
        }
        assertEquals(expected.checksums, received.checksums);
    }
}
