package io.tickbus.tools.multihost;

import io.aeron.Aeron;
import io.tickbus.client.BackPressurePolicy;
import io.tickbus.client.BusPublisher;
import io.tickbus.client.Durations;
import io.tickbus.client.ProcessEpochClock;
import io.tickbus.sbe.MessageHeaderEncoder;
import io.tickbus.sbe.Side;
import io.tickbus.sbe.TradeEncoder;
import io.tickbus.sbe.Venue;
import io.tickbus.tools.StopSignal;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A small publisher host for the multi-host tests and the cross-namespace figures: publishes {@code --count}
 * Trade messages on a channel, paced at {@code --rate} per second (0 = as fast as the bus takes them), and
 * prints one JSON line when done. Message i (1..N) carries globalSeq i and sourceSeq {@code i << 16} on feed 1,
 * so a subscriber's accounting can check the stream is complete and in order without trusting this class.
 * <p>
 * Waits for the publication to be connected and, with {@code --go-file F}, for F to exist (the test creates it
 * once every subscriber host has an image), then publishes; afterwards it stays up for {@code --linger} (default
 * 30s) or until SIGTERM so that receivers can still NAK and get retransmissions.
 * <p>
 * Threading: main thread only. Allocation: none per message.
 */
public final class MultiHostPublisher
{
    private MultiHostPublisher()
    {
    }

    /**
     * @param args {@code --driver-dir D --channel C --stream S --count N [--rate R] [--go-file F] [--linger T]}.
     * @throws Exception on failure (exit 1 with the stack trace).
     */
    public static void main(final String[] args) throws Exception
    {
        String driverDir = null;
        String channel = null;
        int streamId = 1001;
        long count = 10_000;
        long rate = 0;
        Path goFile = null;
        long lingerNs = TimeUnit.SECONDS.toNanos(30);
        for (int i = 0; i < args.length - 1; i += 2)
        {
            final String value = args[i + 1];
            switch (args[i])
            {
                case "--driver-dir" -> driverDir = value;
                case "--channel" -> channel = value;
                case "--stream" -> streamId = Integer.parseInt(value);
                case "--count" -> count = Long.parseLong(value);
                case "--rate" -> rate = Long.parseLong(value);
                case "--go-file" -> goFile = Path.of(value);
                case "--linger" -> lingerNs = Durations.parseNanos(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (null == driverDir || null == channel || count < 1 || rate < 0)
        {
            throw new IllegalArgumentException("need --driver-dir, --channel, --count >= 1, --rate >= 0");
        }

        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final TradeEncoder trade = new TradeEncoder();
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + trade.wrapAndApplyHeader(buffer, 0, header)
            .encodedLength();

        try (StopSignal stop = StopSignal.register();
            Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driverDir));
            BusPublisher publisher = new BusPublisher(aeron, channel, streamId,
                new BackPressurePolicy(TimeUnit.SECONDS.toNanos(10), BackPressurePolicy.Exhausted.FAIL),
                ProcessEpochClock.get()))
        {
            System.out.println("publisher: " + channel + " stream " + streamId + ", waiting for subscribers");
            final long connectDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!publisher.isConnected() || (null != goFile && !Files.exists(goFile)))
            {
                if (stop.isRequested() || System.nanoTime() - connectDeadline > 0)
                {
                    throw new IllegalStateException("no subscriber connected (or no go file) within 60 s");
                }
                Thread.sleep(5);
            }

            final long periodNs = 0 == rate ? 0 : TimeUnit.SECONDS.toNanos(1) / rate;
            final long startNs = System.nanoTime();
            for (long i = 1; i <= count && !stop.isRequested(); i++)
            {
                if (periodNs > 0)
                {
                    final long dueNs = startNs + (i - 1) * periodNs;
                    final long aheadNs = dueNs - System.nanoTime();
                    if (aheadNs > 50_000)
                    {
                        LockSupport.parkNanos(aheadNs);
                    }
                }
                trade.wrapAndApplyHeader(buffer, 0, header);
                trade.common().globalSeq(i).sequencerTime(0).sourceSeq(i << 16).exchangeTime(0).receiveTime(0)
                    .instrumentId((int)(1 + i % 8)).feedId(1).venue(Venue.SIMULATOR);
                trade.tradeId(i).quantity(100).aggressorSide(Side.BUY);
                trade.price().mantissa(1_000_000 + i % 1000).exponent((byte)-4);
                final long result = publisher.publish(buffer, 0, length);
                if (result < 0)
                {
                    throw new IllegalStateException("publish failed at message " + i + ": " + result);
                }
            }
            final long elapsedNs = System.nanoTime() - startNs;
            System.out.println("{\"published\":" + publisher.publishedCount() + ",\"elapsedNs\":" + elapsedNs +
                ",\"backPressured\":" + publisher.backPressuredCount() + "}");
            System.out.flush();

            final long lingerDeadline = System.nanoTime() + lingerNs;
            while (!stop.isRequested() && System.nanoTime() - lingerDeadline < 0)
            {
                Thread.sleep(10);
            }
        }
    }
}
