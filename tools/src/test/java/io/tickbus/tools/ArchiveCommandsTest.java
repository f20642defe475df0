package io.tickbus.tools;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.tickbus.archive.ArchiveDirectory;
import io.tickbus.archive.TickbusArchive;
import io.tickbus.client.CommonBlock;
import io.tickbus.sbe.EndOfSessionDecoder;
import io.tickbus.sbe.MessageHeaderDecoder;
import io.tickbus.sbe.MessageHeaderEncoder;
import io.tickbus.sbe.TradeEncoder;
import org.agrona.CloseHelper;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tickbus archive}, {@code recordings} and {@code replay} end to end in process: record a stream, list the
 * day, replay it to another stream and check the messages and the end-of-replay marker; and the error exits.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ArchiveCommandsTest
{
    private static final int STREAM = 1401;
    private static final int MESSAGES = 500;

    @TempDir
    Path dir;

    private CliRun archiveRun;
    private Aeron aeron;

    @AfterEach
    void close()
    {
        CloseHelper.close(aeron);
        ArchiveCommand.requestStopAll();
        if (null != archiveRun)
        {
            archiveRun.exitCode();
            archiveRun.close();
        }
    }

    @Test
    void recordListAndReplayADay() throws Exception
    {
        final Path archiveDir = dir.resolve("archive");
        archiveRun = CliRun.start("archive", "--dir", archiveDir.toString(), "--control-channel",
            "aeron:udp?endpoint=127.0.0.1:25021", "--record", "aeron:ipc:" + STREAM);
        CliRun.await("archive running", () -> Files.exists(archiveDir.resolve(ArchiveDirectory.INFO_FILE)) ||
            archiveRun.isDone());
        assertTrue(!archiveRun.isDone(), archiveRun.err());
        final String aeronDir = ArchiveDirectory.runningInfo(archiveDir).getProperty("aeron.dir");
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(aeronDir));

        // record: Trades with increasing source sequence, exchange time 10 ms apart from 2026-11-20 14:30 UTC
        final Instant open = Instant.parse("2026-11-20T14:30:00Z");
        final long t0 = open.getEpochSecond() * 1_000_000_000L;
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final TradeEncoder trade = new TradeEncoder();
        try (ExclusivePublication publication = aeron.addExclusivePublication("aeron:ipc", STREAM))
        {
            CliRun.await("archive subscribed", publication::isConnected);
            for (int i = 1; i <= MESSAGES; i++)
            {
                trade.wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).tradeId(i).quantity(i);
                trade.common().sourceSeq(i).exchangeTime(t0 + (i - 1) * 10_000_000L).feedId(3);
                final int length = MessageHeaderEncoder.ENCODED_LENGTH + trade.encodedLength();
                while (publication.offer(buffer, 0, length) < 0)
                {
                    Thread.sleep(1);
                }
            }
        }

        CliRun.await("catalog lists the day", () ->
        {
            final CliRun list = CliRun.run("recordings", "--dir", archiveDir.toString(), "--json");
            return 0 == list.exitCode() && list.out().contains("\"messages\":" + MESSAGES);
        });
        final CliRun table = CliRun.run("recordings", "--dir", archiveDir.toString());
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("2026-11-20") && table.out().contains("14:30:00.000") &&
            table.out().contains("14:30:04.990"), table.out());
        // In words: the heading counts days and streams and names the zone; the row says how it was recorded.
        final List<String> lines = table.out().strip().lines().toList();
        assertEquals(3, lines.size(), table.out());
        assertTrue(lines.get(0).startsWith("1 recorded day of 1 stream in ") && lines.get(0).endsWith(
            "(times of day in UTC)"), lines.get(0));
        assertTrue(lines.get(1).endsWith("RECORDED AS"), lines.get(1));
        assertTrue(lines.get(2).endsWith("  1 recording, 1 segment"), lines.get(2));

        // replay 14:30:01 (inclusive) to 14:30:03 (exclusive): messages 101..300 by construction
        final List<Long> seqs = new ArrayList<>();
        final long[] marker = {-1};
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final EndOfSessionDecoder eos = new EndOfSessionDecoder();
        try (Subscription subscription = aeron.addSubscription("aeron:ipc", 9401))
        {
            final CliRun replay = CliRun.start("replay", "--dir", archiveDir.toString(), "--day", "2026-11-20",
                "--stream", Integer.toString(STREAM), "--from", "14:30:01", "--to", "14:30:03", "--speed", "max",
                "--channel", "aeron:ipc", "--to-stream", "9401");
            final FragmentAssembler assembler = new FragmentAssembler((buf, offset, length, h) ->
            {
                if (CommonBlock.templateId(buf, offset) == EndOfSessionDecoder.TEMPLATE_ID)
                {
                    eos.wrapAndApplyHeader(buf, offset, header);
                    marker[0] = eos.endOfReplay() == 1 ? eos.messageCount() : -2;
                }
                else
                {
                    seqs.add(CommonBlock.sourceSeq(buf, offset));
                }
            });
            // The replay command may end before this subscription has read its last fragments: poll until the
            // end-of-replay marker arrives, unless the replay failed.
            CliRun.await("end of replay", () ->
            {
                subscription.poll(assembler, 100);
                return marker[0] != -1 || (replay.isDone() && 0 != replay.exitCode());
            });
            assertEquals(0, replay.exitCode(), replay.err());
            assertTrue(replay.out().contains("replayed 200 messages"), replay.out());
        }
        assertEquals(200, marker[0]);
        assertEquals(200, seqs.size());
        for (int i = 0; i < seqs.size(); i++)
        {
            assertEquals(101 + i, seqs.get(i));
        }

        final CliRun unknownDay = CliRun.run("replay", "--dir", archiveDir.toString(), "--day", "2026-11-19",
            "--stream", Integer.toString(STREAM), "--channel", "aeron:ipc", "--to-stream", "9402");
        // What the archive holds is a runtime error (one line, exit 1), not a usage error.
        assertEquals(1, unknownDay.exitCode());
        assertTrue(unknownDay.err().contains("no recording of stream " + STREAM + " on 2026-11-19"), unknownDay.err());
        assertTrue(!unknownDay.err().contains("Usage:"), unknownDay.err());

        final CliRun outside = CliRun.run("replay", "--dir", archiveDir.toString(), "--day", "2026-11-20",
            "--stream", Integer.toString(STREAM), "--from", "16:00:00", "--channel", "aeron:ipc", "--to-stream", "9402");
        assertEquals(1, outside.exitCode());
        assertTrue(outside.err().contains("after the last message"), outside.err());

        try (ExclusivePublication busy = aeron.addExclusivePublication("aeron:ipc", 9403))
        {
            final CliRun inUse = CliRun.run("replay", "--dir", archiveDir.toString(), "--day", "2026-11-20",
                "--stream", Integer.toString(STREAM), "--channel", "aeron:ipc", "--to-stream", "9403");
            assertEquals(1, inUse.exitCode());
            assertTrue(inUse.err().contains("already has a publisher"), inUse.err());
            assertTrue(busy.streamId() == 9403);
        }

        final CliRun purgeWhileRunning = CliRun.run("archive", "purge", "--dir", archiveDir.toString(),
            "--older-than", "30");
        assertEquals(1, purgeWhileRunning.exitCode());
        assertTrue(purgeWhileRunning.err().contains("in use by another tickbus archive"), purgeWhileRunning.err());

        CloseHelper.close(aeron);
        aeron = null;
        ArchiveCommand.requestStopAll();
        assertEquals(0, archiveRun.exitCode(), archiveRun.err());
        assertTrue(archiveRun.out().contains("indexed " + MESSAGES + " messages"), archiveRun.out());
        archiveRun = null;

        final CliRun noArchive = CliRun.run("replay", "--dir", archiveDir.toString(), "--day", "2026-11-20",
            "--stream", Integer.toString(STREAM), "--channel", "aeron:ipc", "--to-stream", "9404");
        assertEquals(1, noArchive.exitCode());
        assertTrue(noArchive.err().contains("no tickbus archive is running"), noArchive.err());

        final CliRun purge = CliRun.run("archive", "purge", "--dir", archiveDir.toString(), "--older-than", "0",
            "--today", "2026-11-21");
        assertEquals(0, purge.exitCode(), purge.err());
        assertTrue(purge.out().contains("purged  2026-11-20 stream " + STREAM), purge.out());
        final CliRun empty = CliRun.run("recordings", "--dir", archiveDir.toString());
        assertTrue(empty.out().contains("no recorded days"), empty.out());
    }

    @Test
    void badOptionsAndDirectoriesAreClearErrors() throws Exception
    {
        final String missing = dir.resolve("missing").toString();
        final CliRun recordings = CliRun.run("recordings", "--dir", missing);
        assertEquals(2, recordings.exitCode());
        assertTrue(recordings.err().contains("no archive directory"), recordings.err());

        final CliRun noCatalog = CliRun.run("recordings", "--dir", dir.toString());
        assertEquals(1, noCatalog.exitCode());
        assertTrue(noCatalog.err().contains("no day catalog"), noCatalog.err());

        final CliRun replayMissing = CliRun.run("replay", "--dir", missing, "--day", "2026-11-20", "--stream", "1",
            "--channel", "aeron:ipc", "--to-stream", "2");
        assertEquals(2, replayMissing.exitCode());

        final CliRun badSpeed = CliRun.run("replay", "--dir", dir.toString(), "--day", "2026-11-20", "--stream", "1",
            "--speed", "fast", "--channel", "aeron:ipc", "--to-stream", "2");
        assertEquals(2, badSpeed.exitCode());
        assertTrue(badSpeed.err().contains("--speed"), badSpeed.err());

        final CliRun badDay = CliRun.run("replay", "--dir", dir.toString(), "--day", "20-11-2026", "--stream", "1",
            "--channel", "aeron:ipc", "--to-stream", "2");
        assertEquals(2, badDay.exitCode());
        assertTrue(badDay.err().contains("YYYY-MM-DD"), badDay.err());

        final CliRun badTime = CliRun.run("replay", "--dir", dir.toString(), "--day", "2026-11-20", "--stream", "1",
            "--from", "25:00", "--channel", "aeron:ipc", "--to-stream", "2");
        assertEquals(2, badTime.exitCode());
        assertTrue(badTime.err().contains("time of day"), badTime.err());

        final CliRun badRecord = CliRun.run("archive", "--dir", dir.toString(), "--record", "aeron:ipc");
        assertEquals(2, badRecord.exitCode());
        assertTrue(badRecord.err().contains("CHANNEL:STREAM"), badRecord.err());

        final CliRun streamWithoutSource = CliRun.run("archive", "--dir", dir.toString(), "--replicate-stream", "1");
        assertEquals(2, streamWithoutSource.exitCode());
        assertTrue(streamWithoutSource.err().contains("--replicate-from"), streamWithoutSource.err());
        final CliRun sourceWithoutStream = CliRun.run("archive", "--dir", dir.toString(), "--replicate-from",
            "127.0.0.1:32020");
        assertEquals(2, sourceWithoutStream.exitCode());
        assertTrue(sourceWithoutStream.err().contains("--replicate-stream"), sourceWithoutStream.err());
        final CliRun badSource = CliRun.run("archive", "--dir", dir.toString(), "--replicate-from", "127.0.0.1",
            "--replicate-stream", "1");
        assertEquals(2, badSource.exitCode());
        assertTrue(badSource.err().contains("HOST:PORT"), badSource.err());
        final CliRun badReplicationChannel = CliRun.run("archive", "--dir", dir.toString(), "--replicate-from",
            "127.0.0.1:32020", "--replicate-stream", "1", "--replication-channel", "aeron:ipc");
        assertEquals(2, badReplicationChannel.exitCode());
        assertTrue(badReplicationChannel.err().contains("replication channel"), badReplicationChannel.err());

        final Path file = Files.createFile(dir.resolve("not-a-dir"));
        final CliRun unwritable = CliRun.run("archive", "--dir", file.resolve("sub").toString(), "--control-channel",
            "none", "--duration", "1s");
        assertEquals(1, unwritable.exitCode());
        assertTrue(unwritable.err().contains("cannot create archive directory"), unwritable.err());

        final CliRun badPurge = CliRun.run("archive", "purge", "--dir", dir.toString(), "--older-than", "soon");
        assertEquals(2, badPurge.exitCode());
        assertTrue(badPurge.err().contains("number of days"), badPurge.err());
    }
}
