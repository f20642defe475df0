package io.tickbus.perf;

import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.tickbus.archive.DayCatalog;
import io.tickbus.archive.TickbusArchive;
import io.tickbus.archive.client.DayReplayer;
import io.tickbus.client.BackPressurePolicy;
import io.tickbus.client.BusPublisher;
import io.tickbus.client.ProcessEpochClock;
import io.tickbus.feed.MessageEncoders;
import io.tickbus.sbe.AddOrderEncoder;
import io.tickbus.sbe.Side;
import io.tickbus.sbe.TradeEncoder;
import io.tickbus.sbe.TradeType;
import io.tickbus.sbe.Venue;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.sbe.MessageEncoderFlyweight;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measurement harness, run by hand (not a test): recording throughput of a generated stream on IPC (AddOrder and
 * Trade messages, encoded by the feed handlers' {@link MessageEncoders}, published by a {@link BusPublisher}) into
 * an embedded {@link TickbusArchive}, then flat-out {@link DayReplayer} throughput of the recorded day to an IPC
 * subscriber.
 * <p>
 * Usage: {@code java -cp perf/target/benchmarks.jar io.tickbus.perf.ArchiveThroughputMain [count] [parent dir]}:
 * message count (default 1,000,000), archive parent directory (default java.io.tmpdir; the archive is deleted at
 * the end). Prints one line per phase; figures go to docs/archive.md. Every wait is bounded (10 minutes).
 */
public final class ArchiveThroughputMain
{
    private static final int RECORDED_STREAM = 1601;
    private static final int REPLAY_STREAM = 1602;
    private static final int FEED_ID = 7;
    private static final long TIMEOUT_NS = TimeUnit.MINUTES.toNanos(10);

    private ArchiveThroughputMain()
    {
    }

    /**
     * @param args [count] [parent dir].
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        final Path parent = Path.of(args.length > 1 ? args[1] : System.getProperty("java.io.tmpdir"));
        final Path dir = Files.createTempDirectory(parent, "tickbus-arc-perf");
        final ExecutorService executor = Executors.newSingleThreadExecutor();
        TickbusArchive archive = null;
        AeronArchive client = null;
        try
        {
            archive = TickbusArchive.launch(new TickbusArchive.Context()
                .archiveDir(dir).controlChannel(null).record("aeron:ipc:" + RECORDED_STREAM));
            client = TickbusArchive.connectLocal(archive.aeron());
            record(archive, client, count);
            if (!archive.awaitCatalogCaughtUp(TimeUnit.NANOSECONDS.toMillis(TIMEOUT_NS)))
            {
                throw new IllegalStateException("catalog did not catch up");
            }
            replay(archive, client, DayCatalog.load(dir), dir, count, executor);
        }
        finally
        {
            executor.shutdownNow();
            CloseHelper.closeAll(client, archive);
            IoUtil.delete(new File(dir.toString()), true);
        }
    }

    private static void record(final TickbusArchive archive, final AeronArchive client, final int count)
    {
        final long t0 = epochNs("2026-11-20T14:30:00Z");
        final BackPressurePolicy policy = new BackPressurePolicy(TIMEOUT_NS, BackPressurePolicy.Exhausted.FAIL);
        try (BusPublisher publisher = new BusPublisher(
            archive.aeron(), "aeron:ipc", RECORDED_STREAM, policy, ProcessEpochClock.get()))
        {
            final long connectDeadline = System.nanoTime() + TIMEOUT_NS;
            while (!publisher.isConnected())
            {
                checkDeadline(connectDeadline, "the archive did not subscribe");
                Thread.onSpinWait();
            }
            final MessageEncoders encoders = new MessageEncoders(publisher, null, FEED_ID, Venue.SIMULATOR);
            final long start = System.nanoTime();
            for (int i = 0; i < count; i++)
            {
                final long seq = i + 1;
                final long time = t0 + i * 1_000L;
                final int instrumentId = (int)(seq % 5) + 1;
                if (seq % 3 == 0)
                {
                    final TradeEncoder trade = encoders.trade(instrumentId, seq, time, time + 1_000)
                        .tradeId(seq).quantity(100 + seq % 7).aggressorSide(Side.BUY).tradeType(TradeType.REGULAR)
                        .saleConditions((short)0).cumulativeVolume(seq * 100);
                    trade.price().mantissa(1_000_000 + seq).exponent((byte)-4);
                    publish(encoders, trade);
                }
                else
                {
                    final AddOrderEncoder addOrder = encoders.addOrder(instrumentId, seq, time, time + 1_000)
                        .orderId(seq).side(seq % 2 == 0 ? Side.BUY : Side.SELL).quantity(10 * seq)
                        .attribution("TEST");
                    addOrder.price().mantissa(999_000 + seq).exponent((byte)-4);
                    publish(encoders, addOrder);
                }
            }
            final long end = publisher.position();
            final long recordDeadline = System.nanoTime() + TIMEOUT_NS;
            long recordingId = -1;
            while (recordingId < 0)
            {
                checkDeadline(recordDeadline, "no recording of the stream");
                recordingId = client.findLastMatchingRecording(
                    0, "aeron:ipc", RECORDED_STREAM, publisher.sessionId());
            }
            while (client.getRecordingPosition(recordingId) < end)
            {
                checkDeadline(recordDeadline, "the recording did not reach the stream's end");
                Thread.onSpinWait();
            }
            final long recordNs = System.nanoTime() - start;
            System.out.printf(Locale.ROOT, "record: %d messages, %d bytes in %.3f s: %.0f msg/s, %.1f MB/s%n",
                count, end, recordNs / 1e9, count / (recordNs / 1e9), end / 1e6 / (recordNs / 1e9));
        }
    }

    private static void publish(final MessageEncoders encoders, final MessageEncoderFlyweight encoder)
    {
        final long result = encoders.publish(encoder);
        if (result <= 0)
        {
            throw new IllegalStateException("offer failed: " + result);
        }
    }

    private static void replay(
        final TickbusArchive archive,
        final AeronArchive client,
        final DayCatalog catalog,
        final Path dir,
        final int count,
        final ExecutorService executor) throws Exception
    {
        final AtomicLong received = new AtomicLong();
        try (Subscription subscription = archive.aeron().addSubscription("aeron:ipc", REPLAY_STREAM))
        {
            final DayReplayer replayer = new DayReplayer(archive.aeron(), client, catalog,
                new DayReplayer.Context().day(LocalDate.of(2026, 11, 20)).streamId(RECORDED_STREAM)
                    .target("aeron:ipc", REPLAY_STREAM).archiveDir(dir));
            final long start = System.nanoTime();
            final Future<DayReplayer.Result> result = executor.submit(() ->
            {
                try (replayer)
                {
                    return replayer.run();
                }
            });
            final FragmentAssembler assembler = new FragmentAssembler((b, o, l, h) -> received.incrementAndGet());
            final long deadline = start + TIMEOUT_NS;
            // The replayed day ends with the replayer's EndOfSession: one message more than recorded.
            while (received.get() < count + 1)
            {
                if (0 == subscription.poll(assembler, 256))
                {
                    checkDeadline(deadline, "the replay stopped at " + received.get() + " messages");
                    Thread.yield();
                }
            }
            final long replayNs = System.nanoTime() - start;
            final DayReplayer.Result r = result.get(TIMEOUT_NS, TimeUnit.NANOSECONDS);
            System.out.printf(Locale.ROOT, "replay: %d messages, %d bytes in %.3f s: %.0f msg/s, %.1f MB/s%n",
                r.messages(), r.bytes(), replayNs / 1e9, r.messages() / (replayNs / 1e9),
                r.bytes() / 1e6 / (replayNs / 1e9));
        }
    }

    private static void checkDeadline(final long deadlineNs, final String what)
    {
        if (System.nanoTime() - deadlineNs > 0)
        {
            throw new IllegalStateException(what);
        }
    }

    private static long epochNs(final String instant)
    {
        final Instant at = Instant.parse(instant);
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }
}
