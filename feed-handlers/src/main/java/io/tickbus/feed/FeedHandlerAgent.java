package io.tickbus.feed;

import io.tickbus.client.ProcessEpochClock;
import io.tickbus.client.MessageSink;
import io.tickbus.feed.itch.ItchTime;
import io.tickbus.feed.pcap.CaptureReader;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * A feed handler as an Agrona {@link Agent}: reads packets from a {@link PacketSource} (a capture file, an ITCH
 * binary file, or live UDP) and drives the venue's {@link PacketDecoder}, which publishes normalized messages to a
 * {@link MessageSink} (a {@link io.tickbus.client.BusPublisher}, the sequencer's ingress, or both).
 * <p>
 * From a file it goes as fast as it can ({@code speed} 0) or paces packets by their capture (or ITCH) timestamps
 * divided by {@code speed}; live UDP is never paced. Each duty cycle handles at most
 * {@link Context#packetsPerCycle()} packets and returns how many, so the idle strategy backs off when there is
 * nothing to do. {@link #isDone()} turns true at the end of a file.
 * <p>
 * Threading: runs on one thread (an {@link org.agrona.concurrent.AgentRunner} or an
 * {@link org.agrona.concurrent.AgentInvoker}). Allocation: none per packet.
 */
public final class FeedHandlerAgent implements Agent, AutoCloseable
{
    private final Context ctx;
    private final PacketSource source;
    private final PacketDecoder decoder;
    private final EpochNanoClock epochClock;
    private final boolean isFile;
    private final ReplayPacer pacer;
    private boolean pending;
    private boolean done;
    private long packets;

    /**
     * Open the source and build the decoder.
     *
     * @param ctx the configuration, concluded here.
     * @throws IOException when the file is missing or not of the venue's format.
     */
    public FeedHandlerAgent(final Context ctx) throws IOException
    {
        this.ctx = ctx.conclude();
        this.epochClock = ctx.epochClock();
        this.pacer = new ReplayPacer(ctx.nanoClock(), ctx.speed());
        this.isFile = !UdpSource.isUdpUri(ctx.from());
        final DecoderContext decoderContext = new DecoderContext()
            .sink(ctx.sink())
            .stats(ctx.stats())
            .feedId(ctx.feedId())
            .errorHandler(ctx.errorHandler());
        if (isFile)
        {
            final Path file = Path.of(ctx.from());
            final LocalDate date = ItchTime.resolve(ctx.tradingDate(), file, firstCaptureTimeNs(file));
            decoderContext.tradingDate(date);
            source = Venues.openFile(ctx.venue(), file, ctx.stats(), date);
        }
        else
        {
            decoderContext.tradingDate(ItchTime.resolve(ctx.tradingDate(), null, epochClock.nanoTime()));
            source = new UdpSource(ctx.from(), epochClock);
        }
        try
        {
            decoder = Venues.newDecoder(ctx.venue(), source.framing(), decoderContext);
        }
        catch (final RuntimeException ex)
        {
            source.close();
            throw ex;
        }
    }

    /**
     * First capture time of a file, for its trading date; 0 when it is not a capture or has no UDP record.
     *
     * @param file the file.
     * @return epoch ns or 0.
     * @throws IOException when unreadable.
     */
    public static long firstCaptureTimeNs(final Path file) throws IOException
    {
        if (!CaptureReader.isCapture(file))
        {
            return 0;
        }
        try (CaptureReader reader = CaptureReader.open(file))
        {
            return reader.next() ? reader.captureTimeNs() : 0;
        }
    }

    /** {@inheritDoc} */
    public String roleName()
    {
        return "tickbus-feed-" + ctx.venue() + "-" + ctx.feedId();
    }

    /** {@inheritDoc} */
    public int doWork()
    {
        if (done)
        {
            return 0;
        }
        int work = 0;
        if (pending)
        {
            if (!pacer.isDue(source.timeNs()))
            {
                return 0;
            }
            deliver();
            pending = false;
            work++;
        }
        final int limit = ctx.packetsPerCycle();
        while (work < limit)
        {
            if (!source.next())
            {
                if (source.isEnded())
                {
                    decoder.onEndOfInput();
                    done = true;
                }
                break;
            }
            if (isFile && pacer.isPaced() && !pacer.isDue(source.timeNs()))
            {
                pending = true;
                break;
            }
            deliver();
            work++;
        }
        return work;
    }

    private void deliver()
    {
        packets++;
        // The receive time rule: live, the socket time; from a file, the capture time where the file has one
        // (a pcap) unless stampCaptureTime(false), else the time the handler read the packet (a day file has none).
        final long receiveTimeNs = isFile && !(ctx.stampCaptureTime() && source.hasCaptureTime()) ?
            epochClock.nanoTime() : source.timeNs();
        decoder.onPacket(source.buffer(), source.offset(), source.length(), receiveTimeNs, source.packetNumber(),
            source.fileOffset());
    }

    /** @return true when the file source is exhausted (never for UDP). */
    public boolean isDone()
    {
        return done;
    }

    /** @return packets handed to the decoder. */
    public long packets()
    {
        return packets;
    }

    /** @return the source (its local address for UDP). */
    public PacketSource source()
    {
        return source;
    }

    /** @return the decoder. */
    public PacketDecoder decoder()
    {
        return decoder;
    }

    /** {@inheritDoc} */
    public void onClose()
    {
        source.close();
    }

    /** Close the source. */
    public void close()
    {
        source.close();
    }

    /**
     * Configuration of a {@link FeedHandlerAgent}: property names, defaults, fluent setters, {@link #conclude()}.
     */
    public static final class Context
    {
        /** Property: venue name (see {@link Venues#names()}). */
        public static final String VENUE_PROP_NAME = "tickbus.feed.venue";
        /** Property: file path or {@code udp://HOST:PORT}. */
        public static final String FROM_PROP_NAME = "tickbus.feed.from";
        /** Property: pacing speed factor for files, 0 (or "max") as fast as possible. */
        public static final String SPEED_PROP_NAME = "tickbus.feed.speed";
        /** Property: packets per duty cycle. */
        public static final String PACKETS_PER_CYCLE_PROP_NAME = "tickbus.feed.packets.per.cycle";
        /** Default packets per duty cycle. */
        public static final int PACKETS_PER_CYCLE_DEFAULT = 64;

        private String venue = System.getProperty(VENUE_PROP_NAME);
        private String from = System.getProperty(FROM_PROP_NAME);
        private double speed = parseSpeed(System.getProperty(SPEED_PROP_NAME, "max"));
        private int packetsPerCycle = Integer.getInteger(PACKETS_PER_CYCLE_PROP_NAME, PACKETS_PER_CYCLE_DEFAULT);
        private int feedId = Integer.getInteger(DecoderContext.FEED_ID_PROP_NAME, DecoderContext.FEED_ID_DEFAULT);
        private LocalDate tradingDate;
        private MessageSink sink;
        private FeedStats stats;
        private ErrorHandler errorHandler;
        private EpochNanoClock epochClock;
        private NanoClock nanoClock;
        private boolean stampCaptureTime = true;
        private boolean concluded;

        /**
         * @param text "max" (or 0) for as fast as possible, else a positive factor (1 = real time).
         * @return the factor, 0 for max.
         * @throws IllegalArgumentException when not a positive number or "max".
         */
        public static double parseSpeed(final String text)
        {
            if (null == text || "max".equalsIgnoreCase(text.trim()))
            {
                return 0;
            }
            final double value;
            try
            {
                value = Double.parseDouble(text.trim());
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("invalid speed '" + text + "', expected a factor such as 1 or 10, " +
                    "or max");
            }
            if (!(value >= 0) || Double.isInfinite(value))
            {
                throw new IllegalArgumentException("invalid speed '" + text + "', must be >= 0 or max");
            }
            return value;
        }

        /**
         * Check and complete.
         *
         * @return this.
         */
        public Context conclude()
        {
            if (concluded)
            {
                return this;
            }
            concluded = true;
            if (null == venue)
            {
                throw new IllegalArgumentException("venue is required");
            }
            Venues.validate(venue);
            if (null == from || from.isEmpty())
            {
                throw new IllegalArgumentException("source is required (a file or udp://HOST:PORT)");
            }
            if (UdpSource.isUdpUri(from))
            {
                UdpSource.parse(from);
            }
            if (packetsPerCycle < 1)
            {
                throw new IllegalArgumentException("packets per cycle must be >= 1: " + packetsPerCycle);
            }
            if (feedId < 0 || feedId > 0xFFFF)
            {
                throw new IllegalArgumentException("feed id must be 0..65535: " + feedId);
            }
            if (null == sink)
            {
                throw new IllegalArgumentException("sink is required");
            }
            if (null == stats)
            {
                stats = FeedStats.NONE;
            }
            if (null == errorHandler)
            {
                errorHandler = Throwable::printStackTrace;
            }
            if (null == epochClock)
            {
                epochClock = ProcessEpochClock.get();
            }
            if (null == nanoClock)
            {
                nanoClock = new SystemNanoClock();
            }
            return this;
        }

        /**
         * @param venue venue name.
         * @return this.
         */
        public Context venue(final String venue)
        {
            this.venue = venue;
            return this;
        }

        /** @return venue name. */
        public String venue()
        {
            return venue;
        }

        /**
         * @param from file path or {@code udp://HOST:PORT}.
         * @return this.
         */
        public Context from(final String from)
        {
            this.from = from;
            return this;
        }

        /** @return file path or UDP address. */
        public String from()
        {
            return from;
        }

        /**
         * @param speed pacing factor for files, 0 for as fast as possible.
         * @return this.
         */
        public Context speed(final double speed)
        {
            if (!(speed >= 0))
            {
                throw new IllegalArgumentException("speed must be >= 0: " + speed);
            }
            this.speed = speed;
            return this;
        }

        /** @return pacing factor, 0 for as fast as possible. */
        public double speed()
        {
            return speed;
        }

        /**
         * @param packetsPerCycle packets per duty cycle.
         * @return this.
         */
        public Context packetsPerCycle(final int packetsPerCycle)
        {
            this.packetsPerCycle = packetsPerCycle;
            return this;
        }

        /** @return packets per duty cycle. */
        public int packetsPerCycle()
        {
            return packetsPerCycle;
        }

        /**
         * @param feedId feed id stamped in every message.
         * @return this.
         */
        public Context feedId(final int feedId)
        {
            this.feedId = feedId;
            return this;
        }

        /** @return feed id. */
        public int feedId()
        {
            return feedId;
        }

        /**
         * @param tradingDate trading date; null to take it from the file name, the capture, or today.
         * @return this.
         */
        public Context tradingDate(final LocalDate tradingDate)
        {
            this.tradingDate = tradingDate;
            return this;
        }

        /** @return explicit trading date or null. */
        public LocalDate tradingDate()
        {
            return tradingDate;
        }

        /**
         * @param sink where normalized messages go.
         * @return this.
         */
        public Context sink(final MessageSink sink)
        {
            this.sink = sink;
            return this;
        }

        /** @return where normalized messages go. */
        public MessageSink sink()
        {
            return sink;
        }

        /**
         * @param stats counters / summary.
         * @return this.
         */
        public Context stats(final FeedStats stats)
        {
            this.stats = stats;
            return this;
        }

        /** @return counters / summary. */
        public FeedStats stats()
        {
            return stats;
        }

        /**
         * @param errorHandler for errors that are not about input bytes.
         * @return this.
         */
        public Context errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }

        /** @return error handler. */
        public ErrorHandler errorHandler()
        {
            return errorHandler;
        }

        /**
         * @param clock epoch clock for receive times.
         * @return this.
         */
        public Context epochClock(final EpochNanoClock clock)
        {
            this.epochClock = clock;
            return this;
        }

        /** @return epoch clock. */
        public EpochNanoClock epochClock()
        {
            return epochClock;
        }

        /**
         * @param clock monotonic clock for pacing.
         * @return this.
         */
        public Context nanoClock(final NanoClock clock)
        {
            this.nanoClock = clock;
            return this;
        }

        /** @return monotonic clock. */
        public NanoClock nanoClock()
        {
            return nanoClock;
        }

        /**
         * The receive time of a message read from a file: with true (the default) the packet's capture time where
         * the file has one (a pcap capture: what a backtest of the recorded day should see), else the time the
         * handler read the packet (an ITCH day file has no capture time); with false always the time the handler
         * read it (to measure the handler's own receive-to-publish latency on a file). Live (UDP) it is the
         * socket's receive time either way.
         *
         * @param stampCaptureTime true to stamp a capture's capture time as receive time.
         * @return this.
         */
        public Context stampCaptureTime(final boolean stampCaptureTime)
        {
            this.stampCaptureTime = stampCaptureTime;
            return this;
        }

        /** @return whether capture time is stamped as receive time. */
        public boolean stampCaptureTime()
        {
            return stampCaptureTime;
        }
    }
}
