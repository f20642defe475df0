package io.tickbus.tools;

import io.aeron.Aeron;
import io.tickbus.client.BusSubscriber;
import io.tickbus.client.MarketDataListener;
import io.tickbus.client.SequenceAccounting;
import io.tickbus.sequencer.SequencerNode;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tickbus feed --sequenced}: a simulated ITCH capture through the feed command into a real single-member
 * sequencer cluster; the sequenced stream carries every message once, global sequences 1..N. Port 20710.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SequencedFeedCommandTest
{
    @Test
    void feedSendsEveryMessageThroughTheSequencerExactlyOnce(@TempDir final Path tmp)
    {
        final Path capture = tmp.resolve("sim.pcap");
        final CliRun sim = CliRun.run("simulate", "--venue", "itch5", "--symbols", "4", "--count", "3000",
            "--seed", "11", "--to", capture.toString());
        assertEquals(0, sim.exitCode(), sim.err());

        final CliRun parse = CliRun.run("parse", "--venue", "itch5", capture.toString(), "--summary");
        assertEquals(0, parse.exitCode(), parse.err());
        final long venueMessages = CliRun.jsonLong(parse.out(), "messages");
        assertTrue(venueMessages >= 3000, parse.out());

        SequencerNode node = null;
        Aeron aeron = null;
        BusSubscriber subscriber = null;
        try
        {
            node = SequencerNode.launchEmbedded("feed-seq", 20710);
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.aeronDirectoryName()));
            final SequenceAccounting accounting = new SequenceAccounting();
            subscriber = new BusSubscriber(aeron, node.sequencedChannel(), node.sequencedStreamId(),
                new MarketDataListener()
                {
                    public void onMessage(final DirectBuffer buffer, final int offset, final int length,
                        final int templateId, final long position)
                    {
                        accounting.onMessage(buffer, offset);
                    }
                });

            final CliRun feed = CliRun.run("feed", "--venue", "itch5", "--from", capture.toString(),
                "--channel", "aeron:ipc", "--stream", "1401", "--feed-id", "3", "--sequenced",
                "--members", "127.0.0.1:20710", "--driver-dir", node.aeronDirectoryName(), "--summary");
            assertEquals(0, feed.exitCode(), feed.err());
            assertEquals(venueMessages, CliRun.jsonLong(feed.out(), "messages"));
            // The summary says what the sequencer acknowledged (a checker holds the stream to it).
            assertEquals(3, CliRun.jsonLong(feed.out(), "feedId"));
            assertEquals(venueMessages, CliRun.jsonLong(feed.out(), "lastAckedGlobalSeq"));
            assertTrue(CliRun.jsonLong(feed.out(), "lastAckedSourceSeq") > 0, feed.out());
            assertEquals(0, CliRun.jsonLong(feed.out(), "unacknowledged"));

            final BusSubscriber sub = subscriber;
            CliRun.await("sequenced messages", () ->
            {
                sub.poll(256);
                return accounting.messages() >= venueMessages;
            });
            // Every ITCH message of simulated flow becomes exactly one bus message (the directory defines symbols
            // before use), so the sequenced stream holds exactly that many, numbered 1..N with no gap or repeat.
            assertEquals(venueMessages, accounting.messages());
            assertEquals(1, accounting.firstGlobalSeq());
            assertEquals(venueMessages, accounting.lastGlobalSeq());
            assertEquals(0, accounting.gaps());
            assertEquals(0, accounting.duplicates());
        }
        finally
        {
            CloseHelper.closeAll(subscriber, aeron, node);
        }
    }

    @Test
    void sequencedWithoutMembersIsAUsageError()
    {
        final CliRun run = CliRun.run("feed", "--venue", "itch5", "--from", "udp://127.0.0.1:20711",
            "--channel", "aeron:ipc", "--stream", "1", "--sequenced", "--embedded-driver");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--members"), run.err());
    }
}
