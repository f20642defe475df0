package io.tickbus.tools;

import io.aeron.Aeron;
import io.tickbus.client.BusSubscriber;
import io.tickbus.client.CommonBlock;
import io.tickbus.client.MarketDataListener;
import io.tickbus.feed.DecoderContext;
import io.tickbus.feed.DerivedSequence;
import io.tickbus.feed.PacketDecoder;
import io.tickbus.feed.ParseSummary;
import io.tickbus.feed.Venues;
import io.tickbus.feed.pcap.CaptureReader;
import io.tickbus.sbe.GapNoticeDecoder;
import io.tickbus.sbe.MessageHeaderDecoder;
import io.tickbus.sequencer.SequencerNode;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 15, restart continuity, with real processes: {@code tickbus simulate} sends a MoldUDP64 day over UDP, a
 * {@code tickbus feed --sequenced} child process is SIGKILLed mid-stream while the venue goes on sending, and is
 * started again. The restarted handler takes its expectation from the sequencer's first ack (the feed's last
 * sequenced source sequence), so the outage is a gap: re-requested from the simulator and filled (every venue
 * message once, no GapNotice), or, with no re-request server, announced by a GapNotice. The checker walks every
 * venue message the same seeded day holds (decoded from a capture of it) and names the first one that is neither
 * sequenced nor inside an announced gap, and the first one sequenced twice. The same checker runs over two hot-hot
 * handlers of one feed. Ports 16200-16299.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class FeedRestartContinuityTest
{
    private static final int FEED_ID = 9;
    private static final String COUNT = "6000";
    private static final String RATE = "1000";
    private static final String SEED = "29";

    @Test
    void aRestartedFeedRecoversTheOutageByReRequest(@TempDir final Path tmp) throws Exception
    {
        final Outcome outcome = killAndRestart(tmp, 16200, 16250, 16251, true);
        outcome.assertEveryVenueMessageOnce();
        assertEquals(0, outcome.gapNotices.size(), "every gap was recovered: " + Outcome.describe(outcome.gapNotices));
    }

    @Test
    void aRestartedFeedAnnouncesTheOutageItCannotRecover(@TempDir final Path tmp) throws Exception
    {
        final Outcome outcome = killAndRestart(tmp, 16230, 16260, 0, false);
        outcome.assertEveryVenueMessageOnce();
        assertTrue(outcome.missingAnnounced > 0, "the outage was announced, not silent: " + outcome.gapNotices);
    }

    /**
     * Hot-hot: two handlers of one feed id, one on each of the simulator's A and B lines, the second joining when a
     * quarter of the day is sequenced. The sequencer takes each venue message once, whichever handler's copy came
     * first; whatever the joining handler could not have seen is either taken from its twin or inside a GapNotice.
     */
    @Test
    void twoHotHotHandlersOfOneFeedGiveEachVenueMessageOnce(@TempDir final Path tmp) throws Exception
    {
        final Outcome outcome = new Outcome(expectedVenueOutputs(tmp));
        SequencerNode node = null;
        Aeron aeron = null;
        BusSubscriber subscriber = null;
        Process a = null;
        Process b = null;
        CliRun sim = null;
        try
        {
            node = SequencerNode.launchEmbedded("feed-hot-hot", 16270);
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.aeronDirectoryName()));
            subscriber = new BusSubscriber(aeron, node.sequencedChannel(), node.sequencedStreamId(), outcome);
            final BusSubscriber sub = subscriber;
            a = startFeed(node, 16270, 16280, 0, tmp.resolve("feed-a.log").toFile());
            CliRun.await("line A's handler socket", () -> CliRun.isUdpBound(16280));
            sim = CliRun.start("simulate", "--venue", "itch5", "--symbols", "4", "--count", COUNT, "--rate", RATE,
                "--seed", SEED, "--to", "udp://127.0.0.1:16280", "--to", "udp://127.0.0.1:16281");
            final CliRun simulation = sim;
            CliRun.await("a quarter of the day sequenced", () ->
            {
                sub.poll(256);
                return outcome.delivered.size() >= outcome.expected.size() / 4;
            });
            b = startFeed(node, 16270, 16281, 0, tmp.resolve("feed-b.log").toFile());
            CliRun.await("the simulated day sent", () ->
            {
                sub.poll(256);
                return simulation.isDone();
            });
            assertEquals(0, simulation.exitCode(), simulation.err());
            final long lastSourceSeq = outcome.expected.last();
            CliRun.await("the last venue message sequenced", () ->
            {
                sub.poll(256);
                return outcome.highest >= lastSourceSeq;
            });
            outcome.pollFor(sub, 500);
            final long duplicatesDropped = node.service().duplicateCount();
            a.destroy();
            b.destroy();
            assertTrue(a.waitFor(20, TimeUnit.SECONDS) && b.waitFor(20, TimeUnit.SECONDS), "both stop on SIGTERM");
            outcome.assertEveryVenueMessageOnce();
            assertTrue(duplicatesDropped > 0, "the twin's copies were dropped as duplicates: " + duplicatesDropped);
            System.out.printf("FAULT feed-hot-hot expected=%d delivered=%d sequencerDuplicatesDropped=%d " +
                "gapNotices=%d announcedMissing=%d%n", outcome.expected.size(), outcome.delivered.size(),
                duplicatesDropped, outcome.gapNotices.size(), outcome.missingAnnounced);
        }
        finally
        {
            for (final Process p : new Process[]{ a, b })
            {
                if (null != p)
                {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            CloseHelper.closeAll(sim, subscriber, aeron, node);
        }
    }

    private static Outcome killAndRestart(
        final Path tmp, final int sequencerPort, final int udpPort, final int rerequestPort, final boolean rerequest)
        throws Exception
    {
        final Outcome outcome = new Outcome(expectedVenueOutputs(tmp));
        SequencerNode node = null;
        Aeron aeron = null;
        BusSubscriber subscriber = null;
        Process first = null;
        Process second = null;
        CliRun sim = null;
        try
        {
            node = SequencerNode.launchEmbedded("feed-restart", sequencerPort);
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(node.aeronDirectoryName()));
            subscriber = new BusSubscriber(aeron, node.sequencedChannel(), node.sequencedStreamId(), outcome);
            final BusSubscriber sub = subscriber;

            first = startFeed(node, sequencerPort, udpPort, rerequestPort, tmp.resolve("feed-1.log").toFile());
            CliRun.await("the first feed's socket", () -> CliRun.isUdpBound(udpPort));
            final List<String> simArgs = new ArrayList<>(List.of("simulate", "--venue", "itch5", "--symbols", "4",
                "--count", COUNT, "--rate", RATE, "--seed", SEED, "--to", "udp://127.0.0.1:" + udpPort));
            if (rerequest)
            {
                simArgs.addAll(List.of("--rerequest-port", Integer.toString(rerequestPort)));
            }
            sim = CliRun.start(simArgs.toArray(new String[0]));
            final CliRun simulation = sim;
            CliRun.await("a quarter of the day sequenced", () ->
            {
                sub.poll(256);
                return outcome.delivered.size() >= outcome.expected.size() / 4;
            });
            first.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL; the venue goes on sending
            final long atKill = outcome.delivered.size();
            outcome.pollFor(sub, 300);

            second = startFeed(node, sequencerPort, udpPort, rerequestPort, tmp.resolve("feed-2.log").toFile());
            CliRun.await("the simulated day sent", () ->
            {
                sub.poll(256);
                return simulation.isDone();
            });
            assertEquals(0, simulation.exitCode(), simulation.err());
            final long lastSourceSeq = outcome.expected.last();
            CliRun.await("the last venue message sequenced", () ->
            {
                sub.poll(256);
                return outcome.highest >= lastSourceSeq;
            });
            outcome.pollFor(sub, 500);
            second.destroy(); // SIGTERM
            assertTrue(second.waitFor(20, TimeUnit.SECONDS), "the restarted feed stops on SIGTERM");
            final String log = Files.readString(tmp.resolve("feed-2.log"));
            assertTrue(log.contains("resumes at venue sequence"), log);
            assertTrue(atKill < outcome.expected.size(), "killed mid-stream");
            System.out.printf("FAULT feed-restart rerequest=%s expected=%d deliveredAtKill=%d delivered=%d " +
                "gapNotices=%d announcedMissing=%d%n", rerequest, outcome.expected.size(), atKill,
                outcome.delivered.size(), outcome.gapNotices.size(), outcome.missingAnnounced);
            return outcome;
        }
        catch (final AssertionError ex)
        {
            System.err.println("highest=" + outcome.highest + " expectedLast=" + outcome.expected.last() +
                " delivered=" + outcome.delivered.size() + " expected=" + outcome.expected.size());
            for (final String name : new String[]{ "feed-1.log", "feed-2.log" })
            {
                final Path log = tmp.resolve(name);
                if (Files.exists(log))
                {
                    System.err.println("--- " + name + "\n" + Files.readString(log));
                }
            }
            throw ex;
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
            CloseHelper.closeAll(sim, subscriber, aeron, node);
        }
    }

    /** The source sequences of every venue message of the seeded day, from a capture of the same day. */
    private static TreeSet<Long> expectedVenueOutputs(final Path tmp) throws Exception
    {
        final Path capture = tmp.resolve("day.pcap");
        final CliRun sim = CliRun.run("simulate", "--venue", "itch5", "--symbols", "4", "--count", COUNT,
            "--rate", "0", "--seed", SEED, "--to", capture.toString());
        assertEquals(0, sim.exitCode(), sim.err());
        final TreeSet<Long> expected = new TreeSet<>();
        final PacketDecoder decoder = Venues.newDecoder(Venues.ITCH5, new DecoderContext()
            .sink((buffer, offset, length) ->
            {
                final long sourceSeq = CommonBlock.sourceSeq(buffer, offset);
                if (DerivedSequence.isVenueOutput(sourceSeq))
                {
                    expected.add(sourceSeq);
                }
                return 1;
            })
            .stats(new ParseSummary(0)).feedId(FEED_ID));
        try (CaptureReader reader = CaptureReader.open(capture))
        {
            while (reader.next())
            {
                decoder.onPacket(reader.buffer(), reader.payloadOffset(), reader.payloadLength(),
                    reader.captureTimeNs(), reader.packetNumber(), reader.fileOffset());
            }
        }
        assertTrue(expected.size() >= Integer.parseInt(COUNT), "the day holds its messages: " + expected.size());
        return expected;
    }

    private static Process startFeed(
        final SequencerNode node, final int sequencerPort, final int udpPort, final int rerequestPort, final File log)
        throws Exception
    {
        final List<String> command = CliRun.childCommand(
            "feed", "--venue", "itch5", "--from", "udp://127.0.0.1:" + udpPort,
            "--channel", "aeron:ipc", "--stream", "1482", "--feed-id", Integer.toString(FEED_ID),
            "--summary", "--sequenced", "--members", "127.0.0.1:" + sequencerPort, "--driver-dir",
            node.aeronDirectoryName());
        if (rerequestPort > 0)
        {
            command.addAll(List.of("--rerequest", "udp://127.0.0.1:" + rerequestPort));
        }
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    /** What the sequenced stream delivered, and the checker over it. */
    private static final class Outcome implements MarketDataListener
    {
        final TreeSet<Long> expected;
        final Long2LongHashMap delivered = new Long2LongHashMap(0);
        final List<long[]> gapNotices = new ArrayList<>();
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        final GapNoticeDecoder gapNotice = new GapNoticeDecoder();
        long highest;
        long duplicates;
        long firstDuplicate = -1;
        long missingAnnounced;

        Outcome(final TreeSet<Long> expected)
        {
            this.expected = expected;
        }

        public void onMessage(final DirectBuffer buffer, final int offset, final int length, final int templateId,
            final long position)
        {
            final long sourceSeq = CommonBlock.sourceSeq(buffer, offset);
            if (GapNoticeDecoder.TEMPLATE_ID == templateId)
            {
                gapNotice.wrapAndApplyHeader(buffer, offset, header);
                gapNotices.add(new long[]{ gapNotice.fromSeq(), gapNotice.toSeq() });
                return;
            }
            if (!DerivedSequence.isVenueOutput(sourceSeq))
            {
                return;
            }
            if (0 != delivered.put(sourceSeq, CommonBlock.globalSeq(buffer, offset)))
            {
                duplicates++;
                if (firstDuplicate < 0)
                {
                    firstDuplicate = sourceSeq;
                }
            }
            highest = Math.max(highest, sourceSeq);
        }

        void pollFor(final BusSubscriber subscriber, final long millis) throws InterruptedException
        {
            final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (System.nanoTime() < end)
            {
                subscriber.poll(256);
                Thread.sleep(2);
            }
        }

        private boolean announced(final long venueSeq)
        {
            for (final long[] gap : gapNotices)
            {
                if (venueSeq >= gap[0] && venueSeq <= gap[1])
                {
                    return true;
                }
            }
            return false;
        }

        void assertEveryVenueMessageOnce()
        {
            if (duplicates > 0)
            {
                fail("first violation: source sequence " + firstDuplicate + " (venue " +
                    DerivedSequence.venueSeq(firstDuplicate) + ") sequenced twice; " + duplicates + " in all");
            }
            long firstDelivered = Long.MAX_VALUE;
            for (final Long2LongHashMap.KeyIterator it = delivered.keySet().iterator(); it.hasNext(); )
            {
                firstDelivered = Math.min(firstDelivered, it.nextValue());
            }
            final long first = firstDelivered;
            for (final long sourceSeq : expected.tailSet(first, true))
            {
                if (!delivered.containsKey(sourceSeq))
                {
                    if (announced(DerivedSequence.venueSeq(sourceSeq)))
                    {
                        missingAnnounced++;
                    }
                    else
                    {
                        fail("first violation: venue message " + DerivedSequence.venueSeq(sourceSeq) +
                            " (source sequence " + sourceSeq + ") neither sequenced nor inside a GapNotice; " +
                            "gap notices " + describe(gapNotices));
                    }
                }
            }
            for (final Long2LongHashMap.KeyIterator it = delivered.keySet().iterator(); it.hasNext(); )
            {
                final long sourceSeq = it.nextValue();
                assertTrue(expected.contains(sourceSeq), "source sequence " + sourceSeq + " is not of the day");
            }
        }

        private static String describe(final List<long[]> gaps)
        {
            final StringBuilder sb = new StringBuilder("[");
            for (final long[] gap : gaps)
            {
                sb.append(gap[0]).append('-').append(gap[1]).append(' ');
            }
            return sb.append(']').toString();
        }
    }
}
