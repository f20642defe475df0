package io.tickbus.perf;

import io.aeron.Aeron;
import io.tickbus.client.BackPressurePolicy;
import io.tickbus.client.BusPublisher;
import io.tickbus.client.BusSubscriber;
import io.tickbus.client.CommonBlock;
import io.tickbus.client.MarketDataListener;
import io.tickbus.client.MessageSink;
import io.tickbus.client.ProcessEpochClock;
import io.tickbus.client.TeeSink;
import io.tickbus.embedded.EmbeddedBus;
import io.tickbus.feed.FeedHandlerAgent;
import io.tickbus.feed.Venues;
import io.tickbus.feed.sim.ItchSimulator;
import io.tickbus.feed.sim.PacketOutput;
import io.tickbus.sequencer.SequencerNode;
import io.tickbus.sequencer.client.SequencerClient;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end no-loss accounting: ITCH simulator captures -> one feed handler per feed publishing both direct (its
 * own IPC publication) and sequenced (a {@link TeeSink} into a {@link SequencerClient} of a single-member
 * {@link SequencerNode}, both from an {@link EmbeddedBus}) -> a direct subscriber and a sequenced subscriber. Every message is accounted by
 * (feed id, source sequence) where it is published, sequenced and received, and by global sequence on the
 * sequenced stream; the report counts missing, duplicated and reordered messages on each path (all must be 0) and
 * the messages the publishers refused (back pressure beyond the 5 s bound; must be 0).
 * <p>
 * Usage: {@code java -cp perf/target/benchmarks.jar io.tickbus.perf.NoLossHarness [messagesPerFeed] [feeds]
 * [portBase]}, defaults 20000, 2, 28500 (five UDP ports on 127.0.0.1 from portBase). Prints one JSON line and
 * exits 0 when nothing was lost, 1 otherwise.
 * <p>
 * Threading: the caller's thread runs simulators, feed handlers and sequencer clients; the subscribers run on
 * their own {@link AgentRunner} so back pressure is relieved as in production. Allocates freely: a harness.
 */
public final class NoLossHarness
{
    private static final int DIRECT_STREAM = 4850;
    private static final long BOUND_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    /** The figures of one run. */
    public record Report(
        int feeds, long published, long refused, long directReceived, long directMissing, long directDuplicated,
        long directReordered, long sequencedReceived, long sequencedMissing, long sequencedDuplicated,
        long sequencedReordered, long globalFirst, long globalLast, long globalGaps, long globalDuplicated,
        long elapsedMs)
    {
        /** @return true when every published message arrived once, in order, on both paths, none refused. */
        public boolean noLoss()
        {
            return 0 == refused && 0 == directMissing && 0 == directDuplicated && 0 == directReordered &&
                0 == sequencedMissing && 0 == sequencedDuplicated && 0 == sequencedReordered &&
                0 == globalGaps && 0 == globalDuplicated && published == directReceived &&
                published == sequencedReceived && (0 == published || (1 == globalFirst && published == globalLast));
        }

        /** @return one line of JSON. */
        public String toJson()
        {
            return "{\"feeds\":" + feeds + ",\"published\":" + published + ",\"refused\":" + refused +
                ",\"direct\":{\"received\":" + directReceived + ",\"missing\":" + directMissing +
                ",\"duplicated\":" + directDuplicated + ",\"reordered\":" + directReordered + "}" +
                ",\"sequenced\":{\"received\":" + sequencedReceived + ",\"missing\":" + sequencedMissing +
                ",\"duplicated\":" + sequencedDuplicated + ",\"reordered\":" + sequencedReordered +
                ",\"firstGlobalSeq\":" + globalFirst + ",\"lastGlobalSeq\":" + globalLast +
                ",\"globalGaps\":" + globalGaps + ",\"globalDuplicated\":" + globalDuplicated + "}" +
                ",\"noLoss\":" + noLoss() + ",\"elapsedMs\":" + elapsedMs + "}";
        }
    }

    private NoLossHarness()
    {
    }

    /**
     * @param args [messagesPerFeed] [feeds] [portBase].
     * @throws Exception on a setup failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final long messages = args.length > 0 ? Long.parseLong(args[0]) : 20_000;
        final int feeds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        final int portBase = args.length > 2 ? Integer.parseInt(args[2]) : 48_500;
        if (messages < 1 || feeds < 1 || feeds > 16 || portBase < 1024 || portBase > 65_530)
        {
            System.err.println("usage: NoLossHarness [messagesPerFeed>0] [feeds 1..16] [portBase 1024..65530]");
            System.exit(2);
        }
        final Report report = run(messages, feeds, portBase);
        System.out.println(report.toJson());
        System.exit(report.noLoss() ? 0 : 1);
    }

    /**
     * Run once.
     *
     * @param messagesPerFeed order-flow messages each simulated feed generates (plus its directory).
     * @param feeds number of feeds, ids 1..feeds.
     * @param portBase first of the sequencer's five loopback UDP ports.
     * @return the figures.
     * @throws IOException when the captures cannot be written.
     */
    public static Report run(final long messagesPerFeed, final int feeds, final int portBase) throws IOException
    {
        final Path workDir = Files.createTempDirectory("tickbus-noloss-");
        final List<Path> captures = new ArrayList<>();
        for (int f = 1; f <= feeds; f++)
        {
            final Path capture = workDir.resolve("feed-" + f + ".pcap");
            try (ItchSimulator sim = new ItchSimulator(new ItchSimulator.Context()
                .symbols(8).rate(0).count(messagesPerFeed).seed(1000 + f)
                .output(PacketOutput.pcap(capture, 48_000 + f, ProcessEpochClock.get()))))
            {
                while (!sim.isDone())
                {
                    sim.doWork();
                }
            }
            captures.add(capture);
        }

        final Accounting published = new Accounting();
        final Accounting direct = new Accounting();
        final Accounting sequenced = new Accounting();
        long refused = 0;

        EmbeddedBus bus = null;
        AgentRunner subscriberRunner = null;
        final List<AutoCloseable> closeables = new ArrayList<>();
        final long start = System.nanoTime();
        try
        {
            // driver, client and single-member sequencer; the feeds are this harness's own (one per capture, run
            // on this thread), so the bus has no archive and no feed of its own
            bus = EmbeddedBus.launch(new EmbeddedBus.Context()
                .name("noloss")
                .archive(false)
                .directStreamId(DIRECT_STREAM)
                .sequencerPort(portBase)
                .errorHandler(Throwable::printStackTrace));
            final Aeron aeron = bus.aeron();
            final SequencerNode node = bus.sequencer();
            final BusSubscriber directSub = new BusSubscriber(
                aeron, "aeron:ipc", DIRECT_STREAM, new Recorder(direct));
            final BusSubscriber sequencedSub = new BusSubscriber(
                aeron, node.sequencedChannel(), node.sequencedStreamId(), new Recorder(sequenced));
            subscriberRunner = new AgentRunner(new BackoffIdleStrategy(10, 20, 1_000, 100_000),
                Throwable::printStackTrace, null, new Agent()
                {
                    public int doWork()
                    {
                        return directSub.poll(256) + sequencedSub.poll(256);
                    }

                    public void onClose()
                    {
                        CloseHelper.closeAll(directSub, sequencedSub);
                    }

                    public String roleName()
                    {
                        return "noloss-subscribers";
                    }
                });
            AgentRunner.startOnThread(subscriberRunner);

            final BackPressurePolicy policy = new BackPressurePolicy(BOUND_NS, BackPressurePolicy.Exhausted.DROP);
            final List<FeedHandlerAgent> agents = new ArrayList<>();
            final List<SequencerClient> clients = new ArrayList<>();
            final List<BusPublisher> publishers = new ArrayList<>();
            for (int f = 1; f <= feeds; f++)
            {
                final BusPublisher publisher = new BusPublisher(
                    aeron, "aeron:ipc", DIRECT_STREAM, policy, ProcessEpochClock.get());
                final SequencerClient client = new SequencerClient(new SequencerClient.Context()
                    .aeron(aeron).feedId(f).ingressEndpoints(node.ingressEndpoints()).backPressure(policy));
                closeables.add(publisher);
                closeables.add(client);
                clients.add(client);
                publishers.add(publisher);
                final MessageSink tee = new TeeSink(publisher, client);
                final MessageSink counting = (buffer, offset, length) ->
                {
                    published.record(buffer, offset);
                    return tee.publish(buffer, offset, length);
                };
                final FeedHandlerAgent agent = new FeedHandlerAgent(new FeedHandlerAgent.Context()
                    .venue(Venues.ITCH5)
                    .from(captures.get(f - 1).toString())
                    .speed(0)
                    .feedId(f)
                    .tradingDate(LocalDate.now(ZoneOffset.UTC))
                    .sink(counting));
                closeables.add(agent);
                agents.add(agent);
            }

            final BackoffIdleStrategy idle = new BackoffIdleStrategy(10, 20, 1_000, 100_000);
            boolean done = false;
            while (!done)
            {
                done = true;
                int work = 0;
                for (int i = 0; i < agents.size(); i++)
                {
                    if (!agents.get(i).isDone())
                    {
                        done = false;
                        work += agents.get(i).doWork();
                    }
                    work += clients.get(i).doWork();
                }
                idle.idle(work);
            }
            for (final SequencerClient client : clients)
            {
                client.awaitAcknowledged(BOUND_NS);
            }
            for (int i = 0; i < clients.size(); i++)
            {
                refused += publishers.get(i).droppedCount() + clients.get(i).droppedCount() +
                    clients.get(i).rejectedCount();
            }
            final long deadline = System.nanoTime() + DRAIN_TIMEOUT_NS;
            while (System.nanoTime() - deadline < 0 &&
                (direct.received() < published.received() || sequenced.received() < published.received()))
            {
                for (final SequencerClient client : clients)
                {
                    client.doWork();
                }
                idle.idle(0);
            }
        }
        finally
        {
            CloseHelper.closeAll(subscriberRunner);
            for (int i = closeables.size() - 1; i >= 0; i--)
            {
                CloseHelper.quietClose(closeables.get(i));
            }
            CloseHelper.closeAll(bus);
            for (final Path capture : captures)
            {
                Files.deleteIfExists(capture);
            }
            Files.deleteIfExists(workDir);
        }

        return new Report(feeds, published.received(), refused,
            direct.received(), direct.missingFrom(published), direct.duplicated(), direct.reordered(),
            sequenced.received(), sequenced.missingFrom(published), sequenced.duplicated(), sequenced.reordered(),
            sequenced.globalFirst, sequenced.globalLast, sequenced.globalGaps, sequenced.globalDuplicated,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /** Feeds every received message's common block to an {@link Accounting}. */
    private static final class Recorder implements MarketDataListener
    {
        private final Accounting accounting;

        Recorder(final Accounting accounting)
        {
            this.accounting = accounting;
        }

        public void onMessage(
            final DirectBuffer buffer, final int offset, final int length, final int templateId, final long position)
        {
            accounting.record(buffer, offset);
        }
    }

    /**
     * Per feed, the source sequences in arrival order and their distinct set; for sequenced messages the global
     * sequence's first, last, gaps and repeats. Written by one thread, read after that thread stopped (or, for
     * {@link #received()}, as a volatile progress figure).
     */
    static final class Accounting
    {
        private final LongArrayList[] byFeed = new LongArrayList[0x10000];
        private final LongHashSet[] distinctByFeed = new LongHashSet[0x10000];
        private volatile long received;
        long globalFirst;
        long globalLast;
        long globalGaps;
        long globalDuplicated;

        void record(final DirectBuffer buffer, final int offset)
        {
            final int feedId = CommonBlock.feedId(buffer, offset);
            final long sourceSeq = CommonBlock.sourceSeq(buffer, offset);
            if (null == byFeed[feedId])
            {
                byFeed[feedId] = new LongArrayList();
                distinctByFeed[feedId] = new LongHashSet();
            }
            byFeed[feedId].addLong(sourceSeq);
            distinctByFeed[feedId].add(sourceSeq);
            final long globalSeq = CommonBlock.globalSeq(buffer, offset);
            if (0 != globalSeq)
            {
                if (0 == globalFirst)
                {
                    globalFirst = globalSeq;
                }
                else if (globalSeq <= globalLast)
                {
                    globalDuplicated++;
                }
                else if (globalSeq > globalLast + 1)
                {
                    globalGaps += globalSeq - globalLast - 1;
                }
                globalLast = Math.max(globalLast, globalSeq);
            }
            received++;
        }

        long received()
        {
            return received;
        }

        long duplicated()
        {
            long duplicated = 0;
            for (int f = 0; f < byFeed.length; f++)
            {
                if (null != byFeed[f])
                {
                    duplicated += byFeed[f].size() - distinctByFeed[f].size();
                }
            }
            return duplicated;
        }

        long reordered()
        {
            long reordered = 0;
            for (final LongArrayList seqs : byFeed)
            {
                for (int i = 1; null != seqs && i < seqs.size(); i++)
                {
                    if (seqs.getLong(i) < seqs.getLong(i - 1))
                    {
                        reordered++;
                    }
                }
            }
            return reordered;
        }

        long missingFrom(final Accounting expected)
        {
            long missing = 0;
            for (int f = 0; f < expected.byFeed.length; f++)
            {
                if (null == expected.byFeed[f])
                {
                    continue;
                }
                final LongHashSet have = distinctByFeed[f];
                for (final long seq : expected.distinctByFeed[f])
                {
                    if (null == have || !have.contains(seq))
                    {
                        missing++;
                    }
                }
            }
            return missing;
        }
    }
}
