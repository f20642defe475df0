package io.tickbus.perf;

import io.tickbus.client.CommonBlock;
import io.tickbus.feed.DerivedSequence;
import io.tickbus.feed.FeedHandlerAgent;
import io.tickbus.feed.ParseSummary;
import io.tickbus.feed.Venues;
import io.tickbus.feed.itch.MoldUdp64Decoder;
import io.tickbus.feed.sim.ItchSimulator;
import io.tickbus.feed.sim.MoldUdp64History;
import io.tickbus.feed.sim.PacketOutput;
import io.tickbus.feed.sim.RerequestServer;
import io.tickbus.sbe.GapNoticeDecoder;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Gap-fill latency of the MoldUDP64 re-request on A/B lines over loopback UDP: the simulator drops every
 * {@code every}-th data packet on both lines at once (so only the re-request can fill it); for each message of a
 * dropped packet, the time from the drop (the moment the simulator would have sent it) to the moment the feed
 * handler published that message, recovered by a re-request to the simulator's {@link RerequestServer} (own
 * thread, as a venue's). Simulator and handler share the main thread (a back-off idle strategy), so the figure holds
 * the A/B hold (the handler waits that long for the other line first), the request's round trip and the handler's
 * duty-cycle wait. Losses during the warm-up messages are filled but not recorded; a GapNotice is never a fill.
 * <p>
 * Prints one line of counts, one of percentiles and the box (cores, load average); exits 1 when not every lost
 * message was filled (a gap notice, or the run bound of 60 s reached).
 * <p>
 * Usage: {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp perf/target/benchmarks.jar
 * io.tickbus.perf.GapFillLatencyHarness [holdUs] [messages] [port] [every] [warmupMessages]}: A/B hold in µs
 * (default 2000), messages (200000), first of three UDP ports (16050: line A, B, the server), drop every N-th data
 * packet (50), warm-up messages (50000).
 */
public final class GapFillLatencyHarness
{
    private static final long RUN_BOUND_NS = TimeUnit.SECONDS.toNanos(60);

    private GapFillLatencyHarness()
    {
    }

    /** Drops every {@code every}-th data packet before the fan-out to the lines, noting when each message was lost. */
    static final class BothLinesLoss extends PacketOutput
    {
        private final PacketOutput lines;
        private final int every;
        private final long[] lostAtNs;
        private long dataPackets;
        long packetsLost;
        long messagesLost;

        BothLinesLoss(final PacketOutput lines, final int every, final long[] lostAtNs)
        {
            this.lines = lines;
            this.every = every;
            this.lostAtNs = lostAtNs;
        }

        public void send(final DirectBuffer buffer, final int offset, final int length)
        {
            final int n = buffer.getShort(offset + MoldUdp64Decoder.COUNT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final long seq = buffer.getLong(offset + MoldUdp64Decoder.SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN);
            if (n > 0 && n != MoldUdp64Decoder.END_OF_SESSION_COUNT && 0 == ++dataPackets % every &&
                seq + n < lostAtNs.length)
            {
                final long nowNs = System.nanoTime();
                for (long s = seq; s < seq + n; s++)
                {
                    lostAtNs[(int)s] = nowNs;
                }
                packetsLost++;
                messagesLost += n;
                return;
            }
            lines.send(buffer, offset, length);
        }

        public long packets()
        {
            return lines.packets();
        }

        public void close()
        {
            lines.close();
        }
    }

    /**
     * @param args see the class comment.
     * @throws Exception on a socket error.
     */
    public static void main(final String[] args) throws Exception
    {
        final long holdUs = args.length > 0 ? Long.parseLong(args[0]) : 2_000;
        final long count = args.length > 1 ? Long.parseLong(args[1]) : 200_000;
        final int port = args.length > 2 ? Integer.parseInt(args[2]) : 16050;
        final int every = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        final long warmup = args.length > 4 ? Long.parseLong(args[4]) : 50_000;
        final long[] lostAtNs = new long[(int)count + 100_000]; // venue sequence -> ns lost; 0 once filled
        final Histogram histogram = new Histogram(RUN_BOUND_NS, 3);
        final String lineA = "udp://127.0.0.1:" + port;
        final String lineB = "udp://127.0.0.1:" + (port + 1);
        final RerequestServer server = new RerequestServer(new MoldUdp64History(65_536, 64 * 1024 * 1024),
            port + 2, 1400);
        final AgentRunner runner = new AgentRunner(new BackoffIdleStrategy(1, 1, 10_000, 200_000),
            Throwable::printStackTrace, null, server);
        AgentRunner.startOnThread(runner);
        final BothLinesLoss loss = new BothLinesLoss(
            PacketOutput.fanOut(PacketOutput.udp(lineA), PacketOutput.udp(lineB)), every, lostAtNs);
        final ParseSummary summary = new ParseSummary();
        final long[] filled = new long[2]; // [0] recorded, [1] filled during the warm-up
        final long[] gapNotices = new long[1];
        boolean complete = false;
        try (FeedHandlerAgent handler = new FeedHandlerAgent(new FeedHandlerAgent.Context()
            .venue(Venues.ITCH5).from(lineA, lineB).rerequest("udp://127.0.0.1:" + (port + 2))
            .abHoldNs(TimeUnit.MICROSECONDS.toNanos(holdUs)).errorHandler(Throwable::printStackTrace)
            .stats(summary)
            .sink((buffer, offset, length) ->
            {
                if (GapNoticeDecoder.TEMPLATE_ID == CommonBlock.templateId(buffer, offset))
                {
                    gapNotices[0]++; // announces a loss; it fills nothing
                    return 1;
                }
                final long venueSeq = DerivedSequence.venueSeq(CommonBlock.sourceSeq(buffer, offset));
                if (venueSeq > 0 && venueSeq < lostAtNs.length && 0 != lostAtNs[(int)venueSeq])
                {
                    final long latencyNs = System.nanoTime() - lostAtNs[(int)venueSeq];
                    lostAtNs[(int)venueSeq] = 0; // a venue message may publish two (definition first): the first
                    if (venueSeq > warmup)
                    {
                        histogram.recordValue(Math.min(latencyNs, histogram.getHighestTrackableValue()));
                        filled[0]++;
                    }
                    else
                    {
                        filled[1]++;
                    }
                }
                return 1;
            }));
            ItchSimulator simulator = new ItchSimulator(new ItchSimulator.Context()
                .symbols(8).count(count).rate(100_000).seed(5).maxMessagesPerCycle(64).output(server.recording(loss))))
        {
            final BackoffIdleStrategy idle = new BackoffIdleStrategy(1, 1, 10_000, 100_000);
            final long endBy = System.nanoTime() + RUN_BOUND_NS;
            while (System.nanoTime() < endBy)
            {
                if (simulator.isDone() && summary.messages() >= simulator.messagesSent() &&
                    0 == handler.arbiter().held())
                {
                    complete = true;
                    break;
                }
                int work = simulator.isDone() ? 0 : simulator.doWork();
                work += handler.doWork();
                idle.idle(work);
            }
            long unfilled = 0;
            for (final long t : lostAtNs)
            {
                unfilled += 0 != t ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "gap-fill latency, A/B lines, hold %d us: %d messages sent, %d decoded; " +
                "%d packets (%d messages) lost on both lines; %d fills recorded after %d warm-up messages (%d in " +
                "the warm-up), %d unfilled, %d gap notices%s; client %s; server %s%n",
                holdUs, simulator.messagesSent(), summary.messages(), loss.packetsLost, loss.messagesLost, filled[0],
                warmup, filled[1], unfilled, gapNotices[0], complete ? "" : " (RUN BOUND REACHED)",
                handler.rerequest().toJson(), server.toJson());
            System.out.printf(Locale.ROOT, "p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  max %.3f ms  (n=%d)%n",
                histogram.getValueAtPercentile(50) / 1e6, histogram.getValueAtPercentile(90) / 1e6,
                histogram.getValueAtPercentile(99) / 1e6, histogram.getMaxValue() / 1e6, histogram.getTotalCount());
            System.out.printf(Locale.ROOT, "box: %d cores, load average %.2f%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            complete &= 0 == gapNotices[0] && 0 == unfilled;
        }
        finally
        {
            runner.close();
        }
        if (!complete)
        {
            System.exit(1);
        }
    }
}
