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

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kill -9 of a {@code tickbus feed --sequenced} process mid-capture, then a restart that reads the capture again
 * from its start: the single-member sequencer drops what it already sequenced by (feed id, source sequence), so
 * the sequenced stream holds every venue message exactly once, global sequences 1..N without a gap. The feed runs
 * as a child process of the test classpath ({@code java ... io.tickbus.tools.TickbusCli feed ...}) sharing the
 * sequencer's embedded driver. Ports 28700-28799.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FeedKillFaultTest
{
    private static final int FEED_ID = 5;

    @Test
    void killedFeedHandlerRestartsWithoutDuplicatesOrLoss(@TempDir final Path tmp) throws Exception
    {
        final Path capture = tmp.resolve("sim.pcap");
        final CliRun sim = CliRun.run("simulate", "--venue", "itch5", "--symbols", "4", "--count", "6000",
            "--rate", "2000", "--seed", "17", "--to", capture.toString());
        assertEquals(0, sim.exitCode(), sim.err());
        final CliRun parse = CliRun.run("parse", "--venue", "itch5", capture.toString(), "--summary");
        assertEquals(0, parse.exitCode(), parse.err());
        final long venueMessages = CliRun.jsonLong(parse.out(), "messages");
        assertTrue(venueMessages >= 6000, parse.out());

        SequencerNode node = null;
        Aeron aeron = null;
        BusSubscriber subscriber = null;
        Process first = null;
        Process second = null;
        try
        {
            node = SequencerNode.launchEmbedded("feed-kill", 28700);
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.aeronDirectoryName()));
            final SequenceAccounting accounting = new SequenceAccounting();
            final long[] venueOutputs = {0};
            final long[] otherHandlerMade = {0};
            subscriber = new BusSubscriber(aeron, node.sequencedChannel(), node.sequencedStreamId(),
                new MarketDataListener()
                {
                    public void onMessage(final DirectBuffer buffer, final int offset, final int length,
                        final int templateId, final long position)
                    {
                        accounting.onMessage(buffer, offset);
                        if (io.tickbus.feed.DerivedSequence.isVenueOutput(
                            io.tickbus.client.CommonBlock.sourceSeq(buffer, offset)))
                        {
                            venueOutputs[0]++;
                        }
                        else if (io.tickbus.sbe.InstrumentDefinitionEncoder.TEMPLATE_ID != templateId)
                        {
                            otherHandlerMade[0]++;
                        }
                    }
                });
            final BusSubscriber sub = subscriber;

            // Paced at the capture's own speed (about 3 s), so the kill lands mid-stream.
            first = startFeed(node, capture, "1", tmp.resolve("feed-1.log").toFile());
            CliRun.await("first messages sequenced", () ->
            {
                sub.poll(256);
                return accounting.messages() >= venueMessages / 4;
            });
            first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            final long killedNs = System.nanoTime();
            final long beforeKill = accounting.messages();
            assertTrue(beforeKill < venueMessages, "killed mid-stream: " + beforeKill + " of " + venueMessages);

            second = startFeed(node, capture, "max", tmp.resolve("feed-2.log").toFile());
            CliRun.await("all messages sequenced", () ->
            {
                sub.poll(256);
                return venueOutputs[0] >= venueMessages;
            });
            final long recoveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNs);
            assertTrue(second.waitFor(60, TimeUnit.SECONDS), "restarted feed finishes the capture");
            assertEquals(0, second.exitValue(), "restarted feed exit code");
            // Let anything still in flight arrive before the final count.
            final long settle = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            while (System.nanoTime() < settle)
            {
                sub.poll(256);
                Thread.sleep(5);
            }

            // The restart resumes where the sequencer stands (it skips the capture's prefix), so it defines the
            // instruments it meets again: handler-made definitions, numbered apart from every venue message.
            assertEquals(venueMessages, venueOutputs[0], "every venue message once on the sequenced stream");
            assertEquals(0, otherHandlerMade[0], "no handler-made message other than definitions");
            assertEquals(1, accounting.firstGlobalSeq());
            assertEquals(accounting.messages(), accounting.lastGlobalSeq());
            assertEquals(0, accounting.gaps());
            assertEquals(0, accounting.duplicates());
            assertTrue(node.service().duplicateCount() > 0 || beforeKill == 0,
                "the sequencer dropped the replayed prefix as duplicates");
            System.out.printf("FAULT feed-kill venueMessages=%d sequencedBeforeKill=%d sequencerDuplicatesDropped=%d " +
                "delivered=%d missing=0 duplicates=0 killToCompleteMs=%d%n", venueMessages, beforeKill,
                node.service().duplicateCount(), accounting.messages(), recoveredMs);
        }
        finally
        {
            for (final Process p : new Process[]{ first, second })
            {
                if (null != p)
                {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            CloseHelper.closeAll(subscriber, aeron, node);
        }
    }

    private static Process startFeed(final SequencerNode node, final Path capture, final String speed, final File log)
        throws Exception
    {
        final List<String> command = CliRun.childCommand(
            "feed", "--venue", "itch5", "--from", capture.toString(), "--speed", speed,
            "--channel", "aeron:ipc", "--stream", "1481", "--feed-id", Integer.toString(FEED_ID),
            "--sequenced", "--members", "127.0.0.1:28700", "--driver-dir", node.aeronDirectoryName());
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }
}
