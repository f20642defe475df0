package io.tickbus.perf;

import io.aeron.Aeron;
import io.tickbus.client.BackPressurePolicy;
import io.tickbus.client.BusPublisher;
import io.tickbus.client.BusSubscriber;
import io.tickbus.client.CommonBlock;
import io.tickbus.client.MarketDataListener;
import io.tickbus.client.MessageSink;
import io.tickbus.client.ProcessEpochClock;
import io.tickbus.client.SequenceAccounting;
import io.tickbus.driver.TickbusDriver;
import io.tickbus.sbe.HeartbeatEncoder;
import io.tickbus.sbe.MessageHeaderEncoder;
import io.tickbus.sequencer.SequencerNode;
import io.tickbus.sequencer.client.SequencerClient;
import org.HdrHistogram.Histogram;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Latency and throughput of the sequenced path (feed handler -> {@link SequencerClient} -> cluster ingress ->
 * {@link SequencerNode} -> sequenced stream -> {@link BusSubscriber}) next to the direct path ({@link BusPublisher}
 * -> {@link BusSubscriber} on IPC), with a 1-member and a 3-member cluster, all in this process on loopback; and,
 * for the 3-member cluster, the time from closing the leader to the first message sequenced by the new leader.
 * <p>
 * Latency is one-way, from the <em>scheduled</em> send time of a fixed-rate schedule (carried in the common block's
 * {@code exchangeTime}, {@link System#nanoTime()}) to the subscriber's receive time taken with the same clock, so a
 * sender or pipeline stall counts against every message it delays (coordinated omission corrected). Warm-up
 * messages are sent first and discarded. The sequenced cases also report the ack round trip (scheduled send to the
 * cluster's acknowledgement reaching the client, acks are batched by the service) and, from the epoch clocks every
 * stage stamps, publish-to-receive (not corrected). Throughput: a bounded burst sent as fast as the sink takes it,
 * messages / (first send to last receive).
 * <p>
 * Exactly once is checked on every case with {@link SequenceAccounting} on the messages the subscriber accepts (on
 * the sequenced stream {@link BusSubscriber} drops repeats by global sequence), plus the source sequences of the
 * single feed which must arrive as 1..N in order.
 * <p>
 * Usage: {@code java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -cp perf/target/benchmarks.jar
 * io.tickbus.perf.SequencedPathHarness [key=value ...]}, keys (defaults): {@code messages=50000 rate=5000
 * warmup=10000 burst=50000 failover=25000 killAfter=5000 portBase=18000 cases=direct,seq1,seq3}. UDP ports used on
 * 127.0.0.1: portBase..portBase+24 (members of the 3-member cluster), portBase+100..104 (1-member), portBase+190..196
 * (sequenced streams and egress); Aeron Archive's replication channels take ephemeral ports. Exit code 0 when every
 * case accounted exactly once, 1 otherwise, 2 on a bad option.
 * <p>
 * Threading: the main thread paces and sends, and runs the sequencer client's duty cycle; the subscriber polls on
 * its own {@link AgentRunner}; cluster members run their own (SHARED, back-off) threads. Allocates freely outside
 * the send and receive loops: a harness.
 */
public final class SequencedPathHarness
{
    private static final int FEED_ID = 1;
    private static final int DIRECT_STREAM = 4870;
    private static final int SEQUENCED_STREAM = 2000;
    private static final int WARMUP = 0;
    private static final int PACED = 1;
    private static final int BURST = 2;
    private static final int FAILOVER = 3;
    private static final String[] PHASE_NAMES = { "warmup", "paced", "burst", "failover" };
    private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(120);
    private static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long CONNECT_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long KILL_JOIN_TIMEOUT_MS = 30_000;
    private static final BackPressurePolicy POLICY = new BackPressurePolicy(
        TimeUnit.SECONDS.toNanos(5), BackPressurePolicy.Exhausted.DROP);

    private final Settings settings;
    private final PrintStream out;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final HeartbeatEncoder heartbeatEncoder = new HeartbeatEncoder();
    private final List<String> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private boolean allExactlyOnce = true;

    /** Options of one run, parsed from {@code key=value} arguments. */
    record Settings(
        long messages, int rate, long warmup, long burst, long failover, long killAfter, int portBase,
        List<String> cases)
    {
        static Settings parse(final String[] args)
        {
            long messages = 50_000;
            int rate = 5_000;
            long warmup = 10_000;
            long burst = 50_000;
            long failover = 25_000;
            long killAfter = 5_000;
            int portBase = 38_000;
            List<String> cases = List.of("direct", "seq1", "seq3");
            for (final String arg : args)
            {
                final int eq = arg.indexOf('=');
                if (eq < 1)
                {
                    throw new IllegalArgumentException("expected key=value, got '" + arg + "'");
                }
                final String key = arg.substring(0, eq);
                final String value = arg.substring(eq + 1);
                switch (key)
                {
                    case "messages" -> messages = Long.parseLong(value);
                    case "rate" -> rate = Integer.parseInt(value);
                    case "warmup" -> warmup = Long.parseLong(value);
                    case "burst" -> burst = Long.parseLong(value);
                    case "failover" -> failover = Long.parseLong(value);
                    case "killAfter" -> killAfter = Long.parseLong(value);
                    case "portBase" -> portBase = Integer.parseInt(value);
                    case "cases" -> cases = List.of(value.split(","));
                    default -> throw new IllegalArgumentException("unknown option '" + key + "'");
                }
            }
            if (messages < 1 || messages > 10_000_000 || rate < 1 || rate > 1_000_000 || warmup < 0 ||
                burst < 0 || burst > 10_000_000 || failover < 0 || killAfter < 1 ||
                (failover > 0 && killAfter >= failover) || portBase < 1024 || portBase > 65_000)
            {
                throw new IllegalArgumentException("option out of range: messages 1..1e7, rate 1..1e6, warmup>=0, " +
                    "burst 0..1e7, failover>=0, 0<killAfter<failover, portBase 1024..65000");
            }
            for (final String c : cases)
            {
                if (!c.equals("direct") && !c.equals("seq1") && !c.equals("seq3"))
                {
                    throw new IllegalArgumentException("unknown case '" + c + "' (direct, seq1, seq3)");
                }
            }
            return new Settings(messages, rate, warmup, burst, failover, killAfter, portBase, cases);
        }
    }

    private SequencedPathHarness(final Settings settings, final PrintStream out)
    {
        this.settings = settings;
        this.out = out;
    }

    /**
     * @param args {@code key=value} options, see the class comment.
     */
    public static void main(final String[] args)
    {
        final Settings settings;
        try
        {
            settings = Settings.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("SequencedPathHarness: " + ex.getMessage());
            System.exit(2);
            return;
        }
        final SequencedPathHarness harness = new SequencedPathHarness(settings, System.out);
        int exitCode = 1;
        try
        {
            exitCode = harness.run() ? 0 : 1;
        }
        catch (final Throwable ex)
        {
            ex.printStackTrace();
        }
        System.exit(exitCode);
    }

    private boolean run() throws Exception
    {
        out.printf(Locale.ROOT, "SequencedPathHarness: %d msgs at %d/s after %d warm-up, burst %d, failover %d " +
            "(kill after %d); message %d bytes (Heartbeat: header + common block); load before: %s%n",
            settings.messages, settings.rate, settings.warmup, settings.burst, settings.failover, settings.killAfter,
            encodedLength(), loadAverage());
        for (final String c : settings.cases)
        {
            final long startNs = System.nanoTime();
            switch (c)
            {
                case "direct" -> runDirect();
                case "seq1" -> runSequenced("seq1", 1);
                default -> runSequenced("seq3", 3);
            }
            notes.add(String.format(Locale.ROOT, "%s took %.1f s, load after: %s",
                c, (System.nanoTime() - startNs) / 1e9, loadAverage()));
        }
        out.println();
        out.printf(Locale.ROOT, "%-7s %-34s %8s %9s %9s %9s %9s %9s%n",
            "case", "measure", "count", "p50 us", "p99 us", "p99.9 us", "max us", "msgs/s");
        rows.forEach(out::println);
        out.println();
        notes.forEach((n) -> out.println("  " + n));
        out.println("exactly once on every case: " + allExactlyOnce);
        return allExactlyOnce;
    }

    private void runDirect() throws Exception
    {
        TickbusDriver driver = null;
        Aeron aeron = null;
        BusPublisher publisher = null;
        AgentRunner receiverRunner = null;
        try
        {
            driver = TickbusDriver.launchEmbedded("seqperf-direct");
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
            final Receiver receiver = new Receiver(false, 0);
            final BusSubscriber subscriber = new BusSubscriber(aeron, "aeron:ipc", DIRECT_STREAM, receiver);
            publisher = new BusPublisher(aeron, "aeron:ipc", DIRECT_STREAM, POLICY, ProcessEpochClock.get());
            receiverRunner = startReceiver(subscriber);
            awaitConnected(subscriber, 1);

            final Sender sender = new Sender(publisher, null);
            sender.paced(WARMUP, settings.warmup, null, -1);
            drain(sender, receiver);
            sender.paced(PACED, settings.messages, null, -1);
            drain(sender, receiver);
            final long burstStartNs = sender.burst(settings.burst);
            drain(sender, receiver);

            CloseHelper.close(receiverRunner);
            receiverRunner = null;
            receiver.subscriberRepeats = subscriber.dispatcher().repeatCount();
            report("direct", sender, receiver, burstStartNs);
        }
        finally
        {
            CloseHelper.closeAll(receiverRunner, publisher, aeron, driver);
        }
    }

    private void runSequenced(final String name, final int memberCount) throws Exception
    {
        final int portBase = settings.portBase;
        final boolean single = 1 == memberCount;
        final int memberPortBase = single ? portBase + 100 : portBase;
        final String sequencedChannel = "aeron:udp?endpoint=127.0.0.1:" + (portBase + (single ? 190 : 191));
        final String egressChannel = "aeron:udp?endpoint=127.0.0.1:" + (portBase + (single ? 195 : 196));

        LoopbackSequencers cluster = null;
        TickbusDriver clientDriver = null;
        Aeron aeron = null;
        SequencerClient client = null;
        AgentRunner receiverRunner = null;
        Thread killer = null;
        try
        {
            final long launchStartNs = System.nanoTime();
            cluster = new LoopbackSequencers(
                "seqperf-" + name, memberCount, memberPortBase, sequencedChannel, SEQUENCED_STREAM);
            final int leaderIndex = cluster.awaitLeader(-1, System.nanoTime() + CONNECT_TIMEOUT_NS);
            if (leaderIndex < 0)
            {
                throw new IllegalStateException(name + ": no leader elected");
            }
            notes.add(String.format(Locale.ROOT, "%s: leader elected %.2f s after launching %d member(s)",
                name, (System.nanoTime() - launchStartNs) / 1e9, memberCount));

            clientDriver = TickbusDriver.launchEmbedded("seqperf-" + name + "-client");
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(clientDriver.aeronDirectoryName()));
            final Receiver receiver = new Receiver(true, settings.failover);
            final BusSubscriber subscriber = new BusSubscriber(aeron, sequencedChannel, SEQUENCED_STREAM, receiver);
            receiverRunner = startReceiver(subscriber);
            client = new SequencerClient(new SequencerClient.Context()
                .aeron(aeron)
                .feedId(FEED_ID)
                .ingressEndpoints(cluster.ingressEndpoints())
                .egressChannel(egressChannel)
                .backPressure(POLICY));
            awaitConnected(subscriber, memberCount);

            final Sender sender = new Sender(client, client);
            sender.paced(WARMUP, settings.warmup, null, -1);
            drain(sender, receiver);
            sender.paced(PACED, settings.messages, null, -1);
            drain(sender, receiver);
            final long burstStartNs = sender.burst(settings.burst);
            drain(sender, receiver);
            sender.resentBeforeFailover = client.resentCount();

            if (memberCount > 1 && settings.failover > 0)
            {
                final int leader = cluster.awaitLeader(-1, System.nanoTime() + CONNECT_TIMEOUT_NS);
                final Failover failover = new Failover(cluster, leader);
                sender.paced(FAILOVER, settings.failover, failover, settings.killAfter);
                killer = failover.killer;
                drain(sender, receiver);
                if (null != killer)
                {
                    killer.join(KILL_JOIN_TIMEOUT_MS);
                }
                CloseHelper.close(receiverRunner);
                receiverRunner = null;
                receiver.subscriberRepeats = subscriber.dispatcher().repeatCount();
                report(name, sender, receiver, burstStartNs);
                reportFailover(name, failover, receiver, client);
            }
            else
            {
                CloseHelper.close(receiverRunner);
                receiverRunner = null;
                receiver.subscriberRepeats = subscriber.dispatcher().repeatCount();
                report(name, sender, receiver, burstStartNs);
            }
        }
        finally
        {
            if (null != killer && killer.isAlive())
            {
                killer.join(KILL_JOIN_TIMEOUT_MS);
            }
            CloseHelper.closeAll(receiverRunner, client, aeron, clientDriver, cluster);
        }
    }

    private static void awaitConnected(final BusSubscriber subscriber, final int images) throws InterruptedException
    {
        final long deadlineNs = System.nanoTime() + CONNECT_TIMEOUT_NS;
        while (subscriber.subscription().imageCount() < images)
        {
            if (System.nanoTime() - deadlineNs >= 0)
            {
                throw new IllegalStateException("subscriber has " + subscriber.subscription().imageCount() +
                    " image(s), expected " + images);
            }
            Thread.sleep(5);
        }
    }

    private static AgentRunner startReceiver(final BusSubscriber subscriber)
    {
        final AgentRunner runner = new AgentRunner(
            new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(20)),
            Throwable::printStackTrace, null, new Agent()
            {
                public int doWork()
                {
                    return subscriber.poll(64);
                }

                public void onClose()
                {
                    subscriber.close();
                }

                public String roleName()
                {
                    return "seqperf-receiver";
                }
            });
        AgentRunner.startOnThread(runner);
        return runner;
    }

    /** Wait, bounded, until the subscriber accepted everything sent so far; keeps the client's duty cycle going. */
    private void drain(final Sender sender, final Receiver receiver)
    {
        final long deadlineNs = System.nanoTime() + DRAIN_TIMEOUT_NS;
        final long expected = sender.sourceSeq;
        while (receiver.accepted < expected || (null != sender.client && sender.client.unacknowledged() > 0))
        {
            if (System.nanoTime() - deadlineNs >= 0)
            {
                notes.add("drain timed out: accepted " + receiver.accepted + " of " + expected + " sent");
                return;
            }
            sender.idle.idle(sender.duty());
        }
        sender.idle.reset();
    }

    private void report(final String name, final Sender sender, final Receiver receiver, final long burstStartNs)
    {
        row(name, "one-way, CO-corrected (scheduled)", receiver.oneWay[PACED], "");
        row(name, "publish->receive, uncorrected", receiver.publishToReceive[PACED], "");
        row(name, "send lateness (harness pacing)", sender.lateness[PACED], "");
        if (null != sender.client)
        {
            row(name, "ack round trip, CO-corrected", sender.ackRtt[PACED], "");
            notes.add(String.format(Locale.ROOT, "%s: slowest ack %.1f ms for source seq %d (%d into the paced " +
                "phase of %d); client resent %d before any failover", name, sender.worstPacedAckNs / 1e6,
                sender.worstPacedAckSeq, sender.worstPacedAckSeq - settings.warmup, settings.messages,
                sender.resentBeforeFailover));
            row(name, "  stage: publish->sequencer stamp", receiver.toSequencer[PACED], "");
            row(name, "  stage: sequencer stamp->receive", receiver.fromSequencer[PACED], "");
        }
        if (settings.burst > 0)
        {
            final long count = receiver.count[BURST];
            final double seconds = (receiver.lastNs[BURST] - burstStartNs) / 1e9;
            final double sendSeconds = (sender.burstEndNs - burstStartNs) / 1e9;
            row(name, "burst one-way (queueing incl.)", receiver.oneWay[BURST],
                String.format(Locale.ROOT, "%9.0f", count / seconds));
            notes.add(String.format(Locale.ROOT, "%s burst: %d received of %d in %.3f s (sender done after %.3f s, " +
                "%.0f msgs/s offered), dropped by back pressure %d", name, count, settings.burst, seconds,
                sendSeconds, settings.burst / sendSeconds, sender.failures));
        }
        final SequenceAccounting acc = receiver.acceptedAccounting;
        final boolean exactlyOnce = 0 == acc.gaps() && 0 == acc.duplicates() && 0 == receiver.sourceOrderErrors &&
            receiver.accepted == sender.sourceSeq && 0 == sender.failures;
        allExactlyOnce &= exactlyOnce;
        notes.add(String.format(Locale.ROOT, "%s accounting: sent %d, accepted %d, gaps %d, missing %d, " +
            "duplicates %d, source-order errors %d, global seq %d..%d; repeats dropped by BusSubscriber %d " +
            "-> exactly once: %s",
            name, sender.sourceSeq, receiver.accepted, acc.gaps(), acc.missing(), acc.duplicates(),
            receiver.sourceOrderErrors, acc.firstGlobalSeq(), acc.lastGlobalSeq(), receiver.subscriberRepeats,
            exactlyOnce));
    }

    private void reportFailover(
        final String name, final Failover failover, final Receiver receiver, final SequencerClient client)
    {
        row(name, "failover phase one-way, CO-corr.", receiver.oneWay[FAILOVER], "");
        if (0 == failover.killNs)
        {
            notes.add(name + " failover: the leader was not closed");
            return;
        }
        notes.add(String.format(Locale.ROOT, "%s failover (leader member %d closed in-process after %d msgs): " +
            "close() returned after %s ms; new leader (member %d) seen after %s ms; after the kill the first new " +
            "message was received after %s ms, the first one sequenced after the kill after %s ms, the first one " +
            "sequenced after close() returned (surely by the new leader) after %s ms; client resent %d, leader " +
            "changes %d; longest receive gap in the phase %.1f ms",
            name, failover.leader, settings.killAfter, ms(failover.closedNs, failover.killNs), failover.newLeader,
            ms(failover.newLeaderNs, failover.killNs), ms(receiver.firstReceivedAfter(failover.killNs, 0),
            failover.killNs), ms(receiver.firstReceivedAfter(failover.killNs, failover.killEpochNs), failover.killNs),
            ms(receiver.firstReceivedAfter(failover.killNs, failover.closedEpochNs), failover.killNs),
            client.resentCount(), client.leaderChanges(), receiver.longestGapNs / 1e6));
    }

    private static String ms(final long ns, final long fromNs)
    {
        return 0 == ns ? "n/a" : String.format(Locale.ROOT, "%.1f", (ns - fromNs) / 1e6);
    }

    private void row(final String name, final String measure, final Histogram h, final String rate)
    {
        rows.add(String.format(Locale.ROOT, "%-7s %-34s %8d %9.1f %9.1f %9.1f %9.1f %9s",
            name, measure, h.getTotalCount(), h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
            h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3, rate));
    }

    private int encodedLength()
    {
        return MessageHeaderEncoder.ENCODED_LENGTH + HeartbeatEncoder.BLOCK_LENGTH;
    }

    private int encode(final long sourceSeq, final long sendTimeNs, final int phase)
    {
        heartbeatEncoder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        heartbeatEncoder.common()
            .globalSeq(0)
            .sequencerTime(0)
            .sourceSeq(sourceSeq)
            .exchangeTime(sendTimeNs)
            .receiveTime(0)
            .publishTime(0)
            .instrumentId(phase)
            .feedId(FEED_ID);
        return MessageHeaderEncoder.ENCODED_LENGTH + heartbeatEncoder.encodedLength();
    }

    private static String loadAverage()
    {
        try
        {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        }
        catch (final IOException ex)
        {
            return "n/a";
        }
    }

    private static Histogram histogram()
    {
        return new Histogram(HIGHEST_NS, 3);
    }

    private static void record(final Histogram h, final long valueNs)
    {
        h.recordValue(Math.max(0, Math.min(HIGHEST_NS, valueNs)));
    }

    /** State of the failover phase: which member is closed, when, and when a new leader appears. */
    private static final class Failover
    {
        final LoopbackSequencers cluster;
        final int leader;
        volatile long closedNs;
        volatile long closedEpochNs;
        long killNs;
        long killEpochNs;
        long newLeaderNs;
        int newLeader = -1;
        Thread killer;

        Failover(final LoopbackSequencers cluster, final int leader)
        {
            this.cluster = cluster;
            this.leader = leader;
        }

        void kill()
        {
            final SequencerNode victim = cluster.kill(leader);
            killer = new Thread(() ->
            {
                victim.close();
                closedEpochNs = ProcessEpochClock.get().nanoTime();
                closedNs = System.nanoTime();
            }, "seqperf-killer");
            killEpochNs = ProcessEpochClock.get().nanoTime();
            killNs = System.nanoTime();
            killer.start();
        }

        void poll(final long nowNs)
        {
            if (0 != killNs && 0 == newLeaderNs)
            {
                final int current = cluster.leader(leader);
                if (current >= 0)
                {
                    newLeader = current;
                    newLeaderNs = nowNs;
                }
            }
        }
    }

    /** Sends on the main thread: a fixed-rate schedule or a burst; tracks acks of the sequencer client. */
    private final class Sender
    {
        final MessageSink sink;
        final SequencerClient client;
        final BackoffIdleStrategy idle = new BackoffIdleStrategy(
            100, 10, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(20));
        final Histogram[] lateness = { histogram(), histogram(), histogram(), histogram() };
        final Histogram[] ackRtt = { histogram(), histogram(), histogram(), histogram() };
        final long[] scheduledBySeq;
        final byte[] phaseBySeq;
        long sourceSeq;
        long ackSeen;
        long failures;
        long burstEndNs;
        long worstPacedAckNs;
        long worstPacedAckSeq;
        long resentBeforeFailover;
        Failover failover;

        Sender(final MessageSink sink, final SequencerClient client)
        {
            this.sink = sink;
            this.client = client;
            final int total = (int)(settings.warmup + settings.messages + settings.burst + settings.failover + 1);
            scheduledBySeq = new long[total];
            phaseBySeq = new byte[total];
        }

        int duty()
        {
            if (null != failover)
            {
                failover.poll(System.nanoTime());
            }
            if (null == client)
            {
                return 0;
            }
            final int work = client.doWork();
            final long acked = client.lastAckedSourceSeq();
            if (acked > ackSeen)
            {
                final long nowNs = System.nanoTime();
                for (long s = ackSeen + 1; s <= acked && s < scheduledBySeq.length; s++)
                {
                    final long rttNs = nowNs - scheduledBySeq[(int)s];
                    record(ackRtt[phaseBySeq[(int)s]], rttNs);
                    if (PACED == phaseBySeq[(int)s] && rttNs > worstPacedAckNs)
                    {
                        worstPacedAckNs = rttNs;
                        worstPacedAckSeq = s;
                    }
                }
                ackSeen = acked;
            }
            return work;
        }

        void paced(final int phase, final long count, final Failover failover, final long killAfter)
        {
            final long intervalNs = TimeUnit.SECONDS.toNanos(1) / settings.rate;
            final long startNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
            final long deadlineNs = startNs + count * intervalNs + DRAIN_TIMEOUT_NS;
            long sent = 0;
            this.failover = failover;
            idle.reset();
            while (sent < count)
            {
                final long nowNs = System.nanoTime();
                if (nowNs - deadlineNs >= 0)
                {
                    notes.add(PHASE_NAMES[phase] + ": send deadline passed after " + sent + " of " + count);
                    break;
                }
                final long dueNs = startNs + sent * intervalNs;
                int work = 0;
                if (nowNs - dueNs >= 0)
                {
                    send(phase, dueNs, nowNs);
                    sent++;
                    work = 1;
                    if (null != failover && sent == killAfter)
                    {
                        failover.kill();
                    }
                }
                work += duty();
                if (0 == work)
                {
                    idle.idle(0);
                }
                else
                {
                    idle.reset();
                }
            }
        }

        long burst(final long count)
        {
            final long startNs = System.nanoTime();
            for (long i = 0; i < count; i++)
            {
                send(BURST, System.nanoTime(), 0);
                if (0 == (i & 63))
                {
                    duty();
                }
            }
            burstEndNs = System.nanoTime();
            return startNs;
        }

        private void send(final int phase, final long scheduledNs, final long nowNs)
        {
            final long seq = ++sourceSeq;
            scheduledBySeq[(int)seq] = scheduledNs;
            phaseBySeq[(int)seq] = (byte)phase;
            final long result = sink.publish(buffer, 0, encode(seq, scheduledNs, phase));
            if (result < 0)
            {
                failures++;
            }
            if (0 != nowNs)
            {
                record(lateness[phase], nowNs - scheduledNs);
            }
        }
    }

    /**
     * The subscriber's listener, on the receiver thread: de-duplicates the sequenced stream, accounts, records
     * latencies by phase (the phase travels in the instrument id). Read by the main thread after the receiver
     * thread stopped, except the volatile progress figure.
     */
    private static final class Receiver implements MarketDataListener
    {
        final boolean sequenced;
        final EpochNanoClock epochClock = ProcessEpochClock.get();
        final SequenceAccounting acceptedAccounting = new SequenceAccounting();
        final Histogram[] oneWay = { histogram(), histogram(), histogram(), histogram() };
        final Histogram[] publishToReceive = { histogram(), histogram(), histogram(), histogram() };
        final Histogram[] toSequencer = { histogram(), histogram(), histogram(), histogram() };
        final Histogram[] fromSequencer = { histogram(), histogram(), histogram(), histogram() };
        final long[] count = new long[4];
        final long[] lastNs = new long[4];
        volatile long accepted;
        long expectedSourceSeq = 1;
        long sourceOrderErrors;
        long subscriberRepeats;
        final long[] failoverRecvNs;
        final long[] failoverSequencerTime;
        int failoverAccepted;
        long previousNs;
        long longestGapNs;

        Receiver(final boolean sequenced, final long failoverCapacity)
        {
            this.sequenced = sequenced;
            failoverRecvNs = new long[(int)failoverCapacity];
            failoverSequencerTime = new long[(int)failoverCapacity];
        }

        /**
         * @param fromNs a {@link System#nanoTime()}.
         * @param sequencedAfterEpochNs an epoch time, or 0 for any.
         * @return receive time of the first failover-phase message received after fromNs and sequenced after the
         * given epoch time, 0 when none.
         */
        long firstReceivedAfter(final long fromNs, final long sequencedAfterEpochNs)
        {
            for (int i = 0; i < failoverAccepted; i++)
            {
                if (failoverRecvNs[i] - fromNs > 0 && failoverSequencerTime[i] > sequencedAfterEpochNs)
                {
                    return failoverRecvNs[i];
                }
            }
            return 0;
        }

        public void onMessage(
            final DirectBuffer buffer, final int offset, final int length, final int templateId, final long position)
        {
            final long nowNs = System.nanoTime();
            final long nowEpochNs = epochClock.nanoTime();
            acceptedAccounting.onMessage(buffer, offset); // repeats were already dropped by the BusSubscriber
            final long sourceSeq = CommonBlock.sourceSeq(buffer, offset);
            if (sourceSeq != expectedSourceSeq)
            {
                sourceOrderErrors++;
            }
            expectedSourceSeq = sourceSeq + 1;

            final int phase = Math.max(0, Math.min(FAILOVER, CommonBlock.instrumentId(buffer, offset)));
            record(oneWay[phase], nowNs - CommonBlock.exchangeTime(buffer, offset));
            final long publishTime = CommonBlock.publishTime(buffer, offset);
            record(publishToReceive[phase], nowEpochNs - publishTime);
            if (sequenced)
            {
                final long sequencerTime = CommonBlock.sequencerTime(buffer, offset);
                record(toSequencer[phase], sequencerTime - publishTime);
                record(fromSequencer[phase], nowEpochNs - sequencerTime);
                if (FAILOVER == phase && failoverAccepted < failoverRecvNs.length)
                {
                    failoverRecvNs[failoverAccepted] = nowNs;
                    failoverSequencerTime[failoverAccepted++] = sequencerTime;
                }
            }
            if (FAILOVER == phase && 0 != previousNs)
            {
                longestGapNs = Math.max(longestGapNs, nowNs - previousNs);
            }
            previousNs = nowNs;
            count[phase]++;
            lastNs[phase] = nowNs;
            accepted = accepted + 1;
        }
    }
}
