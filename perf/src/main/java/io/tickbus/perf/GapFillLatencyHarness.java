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
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * Gap-fill latency of the MoldUDP64 re-request: one UDP line on loopback loses every 50th data packet; for each
 * lost message, the time from the moment its packet was lost (not sent) to the moment the feed handler published
 * it, recovered by a re-request to the simulator's {@link RerequestServer} (own thread). Simulator and handler
 * share the main thread, so the figure includes the A/B hold (2 ms by default, the first argument sets it in
 * microseconds) and the handler's duty-cycle wait.
 * <p>
 * Usage: {@code java -cp perf/target/... io.tickbus.perf.GapFillLatencyHarness [holdUs] [messages] [port]}.
 */
public final class GapFillLatencyHarness
{
    private GapFillLatencyHarness()
    {
    }

    /**
     * @param args hold in microseconds (default 2000), messages (default 200000), base UDP port (default 15830).
     * @throws Exception on a socket error.
     */
    public static void main(final String[] args) throws Exception
    {
        final long holdUs = args.length > 0 ? Long.parseLong(args[0]) : 2_000;
        final long count = args.length > 1 ? Long.parseLong(args[1]) : 200_000;
        final int port = args.length > 2 ? Integer.parseInt(args[2]) : 15830;
        final long[] lostAtNs = new long[(int)count + 1_000];
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final String line = "udp://127.0.0.1:" + port;
        final RerequestServer server = new RerequestServer(new MoldUdp64History(65_536, 64 * 1024 * 1024),
            port + 1, 1400);
        final AgentRunner runner = new AgentRunner(new BackoffIdleStrategy(1, 1, 10_000, 200_000),
            Throwable::printStackTrace, null, server);
        AgentRunner.startOnThread(runner);
        final PacketOutput udp = PacketOutput.udp(line);
        final PacketOutput lossy = new PacketOutput()
        {
            private long packets;

            public void send(final DirectBuffer buffer, final int offset, final int length)
            {
                final int n = buffer.getShort(offset + MoldUdp64Decoder.COUNT_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                final long seq = buffer.getLong(offset + MoldUdp64Decoder.SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN);
                if (n > 0 && n != MoldUdp64Decoder.END_OF_SESSION_COUNT && 0 == ++packets % 50)
                {
                    final long nowNs = System.nanoTime();
                    for (long s = seq; s < seq + n && s < lostAtNs.length; s++)
                    {
                        lostAtNs[(int)s] = nowNs;
                    }
                    return;
                }
                udp.send(buffer, offset, length);
            }

            public long packets()
            {
                return udp.packets();
            }

            public void close()
            {
                udp.close();
            }
        };
        final ParseSummary summary = new ParseSummary();
        final long[] gapNotices = new long[1];
        try (FeedHandlerAgent handler = new FeedHandlerAgent(new FeedHandlerAgent.Context()
            .venue(Venues.ITCH5).from(line).rerequest("udp://127.0.0.1:" + (port + 1))
            .abHoldNs(TimeUnit.MICROSECONDS.toNanos(holdUs)).errorHandler(Throwable::printStackTrace)
            .stats(summary)
            .sink((buffer, offset, length) ->
            {
                final long venueSeq = DerivedSequence.venueSeq(CommonBlock.sourceSeq(buffer, offset));
                if (venueSeq < lostAtNs.length && 0 != lostAtNs[(int)venueSeq])
                {
                    histogram.recordValue(System.nanoTime() - lostAtNs[(int)venueSeq]);
                    lostAtNs[(int)venueSeq] = 0;
                }
                if (io.tickbus.sbe.GapNoticeDecoder.TEMPLATE_ID == CommonBlock.templateId(buffer, offset))
                {
                    gapNotices[0]++;
                }
                return 1;
            }));
            ItchSimulator simulator = new ItchSimulator(new ItchSimulator.Context()
                .symbols(8).count(count).rate(100_000).seed(5).maxMessagesPerCycle(64).output(server.recording(lossy))))
        {
            final BackoffIdleStrategy idle = new BackoffIdleStrategy(1, 1, 10_000, 100_000);
            final long endBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while ((!simulator.isDone() || summary.messages() < simulator.messagesSent() || handler.arbiter().held() > 0)
                && System.nanoTime() < endBy)
            {
                int work = simulator.isDone() ? 0 : simulator.doWork();
                work += handler.doWork();
                idle.idle(work);
            }
            System.out.printf("gap-fill latency, hold %d us, %d messages (%d decoded), %d recovered, %d gap notices, client %s%n",
                holdUs, simulator.messagesSent(), summary.messages(), histogram.getTotalCount(), gapNotices[0],
                handler.rerequest().toJson());
            System.out.printf("p50 %.3f ms  p99 %.3f ms  max %.3f ms%n",
                histogram.getValueAtPercentile(50) / 1e6, histogram.getValueAtPercentile(99) / 1e6,
                histogram.getMaxValue() / 1e6);
        }
        finally
        {
            runner.close();
        }
    }
}
