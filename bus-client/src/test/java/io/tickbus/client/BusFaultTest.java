package io.tickbus.client;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.driver.ext.DebugReceiveChannelEndpoint;
import io.aeron.driver.ext.LossGenerator;
import io.aeron.driver.ext.RandomLossGenerator;
import io.aeron.exceptions.DriverTimeoutException;
import io.tickbus.driver.TickbusDriver;
import io.tickbus.sbe.TradeDecoder;
import io.tickbus.test.TestMessages;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults on the bus path, each on real media drivers: UDP data loss (Aeron's {@link DebugReceiveChannelEndpoint}
 * with a {@link RandomLossGenerator}) recovered by NAK retransmission; a stalled IPC subscriber that must not
 * stall the publisher nor its neighbour; and a media driver killed with SIGKILL under a running publisher and
 * subscriber. Figures are printed as {@code FAULT ...} lines for docs/reliability.md. Ports 28100-28199.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BusFaultTest
{
    private static final int STREAM = 4810;
    private static final long WAIT_NS = TimeUnit.SECONDS.toNanos(30);

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<String> dirs = new ArrayList<>();
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
    private final TestMessages messages = new TestMessages();

    @AfterEach
    void tearDown()
    {
        for (int i = closeables.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(closeables.get(i));
        }
        for (final String dir : dirs)
        {
            IoUtil.delete(new File(dir), true);
        }
    }

    @Test
    void udpLossIsRecoveredByNakRetransmission()
    {
        final int count = 20_000;
        final CountingLoss loss = new CountingLoss(new RandomLossGenerator(0.05, 42));
        final MediaDriver driver = launchDriver("loss", (ctx) -> ctx.receiveChannelEndpointSupplier(
            (udpChannel, dispatcher, status, context) ->
                new DebugReceiveChannelEndpoint(udpChannel, dispatcher, status, context, loss, (address, frame, length) -> false)));
        final Aeron aeron = connect(driver.aeronDirectoryName(), 10_000, null);
        final String channel = BusChannels.udp("127.0.0.1", 28101);

        final LongArrayList received = new LongArrayList();
        final BusSubscriber sub = add(new BusSubscriber(aeron, channel, STREAM, new MarketDataListener()
        {
            public void onTrade(final TradeDecoder msg)
            {
                received.addLong(msg.common().sourceSeq());
            }
        }));
        final BusPublisher pub = add(new BusPublisher(aeron, channel, STREAM,
            new BackPressurePolicy(0, BackPressurePolicy.Exhausted.DROP), new SystemEpochNanoClock()));
        awaitCondition(() -> pub.isConnected() && sub.isConnected(), () -> sub.poll(10));

        final long start = System.nanoTime();
        for (long seq = 1; seq <= count; seq++)
        {
            final int length = messages.tradeAt(buffer, 0, 1, 7, seq);
            // The receiver window is small: retry (polling the subscriber) rather than drop, so that every
            // message is in flight at least once and loss can only come from the network.
            while (pub.offer(buffer, 0, length) < 0)
            {
                sub.poll(100);
            }
            sub.poll(10);
        }
        final long lastOffered = System.nanoTime();
        awaitCondition(() -> received.size() >= count, () -> sub.poll(100));
        final long recovered = System.nanoTime();

        assertTrue(loss.dropped.get() > 0, "the loss generator dropped frames");
        assertEquals(count, received.size(), "every message delivered exactly once");
        for (int i = 0; i < count; i++)
        {
            assertEquals(i + 1, received.getLong(i), "in order at index " + i);
        }
        assertEquals(0, sub.dispatcher().malformedCount());
        System.out.printf("FAULT udp-loss messages=%d framesDropped=%d delivered=%d missing=0 " +
            "runMs=%d drainAfterLastOfferMs=%d%n", count, loss.dropped.get(), received.size(),
            TimeUnit.NANOSECONDS.toMillis(recovered - start), TimeUnit.NANOSECONDS.toMillis(recovered - lastOffered));
    }

    @Test
    void lossBeyondRecoveryIsReportedAsGapsNotSilence()
    {
        final int count = 20_000;
        final CountingLoss loss = new CountingLoss(new RandomLossGenerator(0.05, 7));
        final MediaDriver driver = launchDriver("gap", (ctx) -> ctx.receiveChannelEndpointSupplier(
            (udpChannel, dispatcher, status, context) -> new DebugReceiveChannelEndpoint(
                udpChannel, dispatcher, status, context, loss, (address, frame, length) -> false)));
        final Aeron aeron = connect(driver.aeronDirectoryName(), 10_000, null);
        // reliable=false: the receiver does not NAK, lost frames are gap-filled, the data is gone for this subscriber.
        final String channel = "aeron:udp?endpoint=127.0.0.1:28105|reliable=false";

        final LongArrayList received = new LongArrayList();
        final LongArrayList missingRanges = new LongArrayList();
        final BusSubscriber sub = add(new BusSubscriber(aeron, channel, STREAM, new MarketDataListener()
        {
            public void onSequenceGap(final long fromGlobalSeq, final long toGlobalSeq)
            {
                missingRanges.addLong(fromGlobalSeq);
                missingRanges.addLong(toGlobalSeq);
            }

            public void onTrade(final TradeDecoder msg)
            {
                received.addLong(msg.common().globalSeq());
            }
        }));
        final BusPublisher pub = add(new BusPublisher(aeron, channel, STREAM,
            new BackPressurePolicy(0, BackPressurePolicy.Exhausted.DROP), new SystemEpochNanoClock()));
        awaitCondition(() -> pub.isConnected() && sub.isConnected(), () -> sub.poll(10));

        for (long seq = 1; seq <= count; seq++)
        {
            final int length = messages.tradeAt(buffer, 0, 1, 7, seq);
            CommonBlock.sequence(buffer, 0, seq, seq); // stamped as the sequencer would
            while (pub.offer(buffer, 0, length) < 0)
            {
                sub.poll(100);
            }
            sub.poll(10);
        }
        // Everything that will arrive has arrived once the last message (or a later one) is in; bounded wait.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && (received.isEmpty() || received.getLong(received.size() - 1) < count))
        {
            sub.poll(100);
        }

        assertTrue(loss.dropped.get() > 0, "the loss generator dropped frames");
        assertTrue(sub.dispatcher().gapCount() > 0, "loss beyond recovery is reported, not silent");
        long missing = 0;
        for (int i = 0; i < missingRanges.size(); i += 2)
        {
            missing += missingRanges.getLong(i + 1) - missingRanges.getLong(i) + 1;
        }
        final long last = received.getLong(received.size() - 1);
        assertEquals(last, received.size() + missing + (received.getLong(0) - 1),
            "every global sequence up to the last received is either delivered or reported missing");
        for (int i = 1; i < received.size(); i++)
        {
            assertTrue(received.getLong(i) > received.getLong(i - 1), "in order, no repeat");
        }
        System.out.printf("FAULT udp-unrecoverable-loss messages=%d framesDropped=%d delivered=%d " +
            "reportedMissing=%d gaps=%d%n", count, loss.dropped.get(), received.size(), missing,
            sub.dispatcher().gapCount());
    }

    @Test
    void stalledSubscriberDoesNotStallPublisherNorNeighbour()
    {
        final int count = 20_000;
        final long boundNs = TimeUnit.MILLISECONDS.toNanos(1);
        final MediaDriver driver = launchDriver("stall", (ctx) -> ctx
            .ipcTermBufferLength(64 * 1024)
            .timerIntervalNs(TimeUnit.MILLISECONDS.toNanos(50))
            .untetheredWindowLimitTimeoutNs(TimeUnit.MILLISECONDS.toNanos(200))
            .untetheredRestingTimeoutNs(TimeUnit.SECONDS.toNanos(30)));
        final Aeron aeron = connect(driver.aeronDirectoryName(), 10_000, null);

        final LongArrayList fastReceived = new LongArrayList();
        final BusSubscriber fast = add(new BusSubscriber(aeron, BusChannels.IPC, STREAM, new MarketDataListener()
        {
            public void onTrade(final TradeDecoder msg)
            {
                fastReceived.addLong(msg.common().sourceSeq());
            }
        }));
        // A subscriber that never polls: untethered, so the driver may leave it behind.
        final BusSubscriber stalled = add(new BusSubscriber(
            aeron, "aeron:ipc?tether=false", STREAM, new MarketDataListener()
            {
            }));
        final BusPublisher pub = add(new BusPublisher(aeron, BusChannels.IPC, STREAM,
            new BackPressurePolicy(boundNs, BackPressurePolicy.Exhausted.DROP), new SystemEpochNanoClock()));
        awaitCondition(() -> pub.isConnected() && fast.isConnected() && stalled.isConnected(), () -> fast.poll(10));

        final LongArrayList accepted = new LongArrayList();
        long maxOfferNs = 0;
        int length = 0;
        for (long seq = 1; seq <= count; seq++)
        {
            length = messages.tradeAt(buffer, 0, 1, 7, seq);
            final long t0 = System.nanoTime();
            final long result = pub.offer(buffer, 0, length);
            maxOfferNs = Math.max(maxOfferNs, System.nanoTime() - t0);
            if (result > 0)
            {
                accepted.addLong(seq);
            }
            else
            {
                assertEquals(BusPublisher.DROPPED, result, "only drops under the drop policy");
            }
            fast.poll(100);
        }
        awaitCondition(() -> fastReceived.size() >= accepted.size(), () -> fast.poll(100));

        final long dropped = count - accepted.size();
        assertEquals(dropped, pub.droppedCount(), "every drop counted");
        assertEquals(accepted, fastReceived, "the neighbour got every accepted message, in order");
        assertTrue((long)accepted.size() * length > 4L * 64 * 1024,
            "the publisher went far past the stalled subscriber's window (" + accepted.size() + " accepted)");
        assertTrue(dropped < count / 2, "drops only while the driver waited to untether: " + dropped);
        System.out.printf("FAULT stalled-subscriber messages=%d accepted=%d dropped=%d neighbourReceived=%d " +
            "boundUs=%d maxOfferUs=%d%n", count, accepted.size(), dropped, fastReceived.size(),
            TimeUnit.NANOSECONDS.toMicros(boundNs), TimeUnit.NANOSECONDS.toMicros(maxOfferNs));
    }

    @Test
    void driverKilledUnderRunningClientsIsReportedAsDriverTimeout() throws Exception
    {
        final long driverTimeoutMs = 2_000;
        final String dir = TickbusDriver.uniqueEmbeddedDir("killed");
        dirs.add(dir);
        final Process process = startDriverProcess(dir, driverTimeoutMs);
        try
        {
            awaitCondition(() -> CommonContext.isDriverActive(new File(dir), driverTimeoutMs, (msg) -> { }),
                () -> sleepMs(50));

            final List<Throwable> errors = new CopyOnWriteArrayList<>();
            final AtomicLong firstErrorNs = new AtomicLong();
            final Aeron aeron = connect(dir, driverTimeoutMs, (ex) ->
            {
                firstErrorNs.compareAndSet(0, System.nanoTime());
                errors.add(ex);
            });
            final LongArrayList received = new LongArrayList();
            final BusSubscriber sub = add(new BusSubscriber(aeron, BusChannels.IPC, STREAM, new MarketDataListener()
            {
                public void onTrade(final TradeDecoder msg)
                {
                    received.addLong(msg.common().sourceSeq());
                }
            }));
            final BusPublisher pub = add(new BusPublisher(aeron, BusChannels.IPC, STREAM));
            awaitCondition(() -> pub.isConnected() && sub.isConnected(), () -> sub.poll(10));
            for (long seq = 1; seq <= 100; seq++)
            {
                assertTrue(pub.offer(buffer, 0, messages.tradeAt(buffer, 0, 1, 7, seq)) > 0);
            }
            awaitCondition(() -> received.size() == 100, () -> sub.poll(10));

            final long killedNs = System.nanoTime();
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            awaitCondition(() -> !errors.isEmpty(), () -> sleepMs(20));
            final long detectedMs = TimeUnit.NANOSECONDS.toMillis(firstErrorNs.get() - killedNs);

            assertInstanceOf(DriverTimeoutException.class, errors.get(0), "first error: " + errors.get(0));
            awaitCondition(aeron::isClosed, () -> sleepMs(20));
            final long result = pub.offer(buffer, 0, messages.tradeAt(buffer, 0, 1, 7, 101));
            assertTrue(result == BusPublisher.CLOSED || result == BusPublisher.NOT_CONNECTED,
                "a publisher whose driver died refuses with CLOSED/NOT_CONNECTED: " + result);
            assertFalse(sub.isConnected());
            System.out.printf("FAULT driver-kill inFlight=0 delivered=%d driverTimeoutMs=%d detectedAfterMs=%d " +
                "error=%s%n", received.size(), driverTimeoutMs, detectedMs, errors.get(0).getClass().getSimpleName());
        }
        finally
        {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process startDriverProcess(final String dir, final long driverTimeoutMs) throws Exception
    {
        final String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        final File log = new File(System.getProperty("java.io.tmpdir"), "tickbus-killed-driver-" +
            ProcessHandle.current().pid() + ".log");
        log.deleteOnExit();
        return new ProcessBuilder(
            ProcessHandle.current().info().command().orElse("java"),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Xmx128m",
            "-cp", classpath,
            "-D" + TickbusDriver.Configuration.DIR_PROP + "=" + dir,
            "-Daeron.driver.timeout=" + driverTimeoutMs,
            TickbusDriver.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(log)
            .start();
    }

    private MediaDriver launchDriver(final String name, final Consumer<MediaDriver.Context> customise)
    {
        final String dir = TickbusDriver.uniqueEmbeddedDir(name);
        dirs.add(dir);
        final MediaDriver.Context ctx = new MediaDriver.Context()
            .aeronDirectoryName(dir)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .termBufferSparseFile(true)
            .publicationTermBufferLength(1024 * 1024)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(new BackoffIdleStrategy(
                10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100)));
        customise.accept(ctx);
        return add(MediaDriver.launch(ctx));
    }

    private Aeron connect(final String dir, final long driverTimeoutMs, final org.agrona.ErrorHandler errorHandler)
    {
        final Aeron.Context ctx = new Aeron.Context().aeronDirectoryName(dir).driverTimeoutMs(driverTimeoutMs);
        if (null != errorHandler)
        {
            ctx.errorHandler(errorHandler);
        }
        return add(Aeron.connect(ctx));
    }

    private <T extends AutoCloseable> T add(final T closeable)
    {
        closeables.add(closeable);
        return closeable;
    }

    private static void awaitCondition(final java.util.function.BooleanSupplier condition, final Runnable work)
    {
        final long deadline = System.nanoTime() + WAIT_NS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("condition not met within " + TimeUnit.NANOSECONDS.toSeconds(WAIT_NS) + "s");
            }
            work.run();
            Thread.yield();
        }
    }

    private static void sleepMs(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Wraps a loss generator to count the frames it drops (it runs on the driver's thread). */
    static final class CountingLoss implements LossGenerator
    {
        private final LossGenerator delegate;
        final AtomicLong dropped = new AtomicLong();

        CountingLoss(final LossGenerator delegate)
        {
            this.delegate = delegate;
        }

        public boolean shouldDropFrame(final InetSocketAddress address, final UnsafeBuffer buffer, final int length)
        {
            final boolean drop = delegate.shouldDropFrame(address, buffer, length);
            if (drop)
            {
                dropped.incrementAndGet();
            }
            return drop;
        }

        public boolean shouldDropFrame(
            final InetSocketAddress address,
            final UnsafeBuffer buffer,
            final int streamId,
            final int sessionId,
            final int termId,
            final int termOffset,
            final int length)
        {
            return shouldDropFrame(address, buffer, length);
        }
    }
}
