package io.tickbus.feed;

import io.tickbus.client.ProcessEpochClock;
import io.tickbus.client.MessageSink;
import io.tickbus.feed.itch.ItchTime;
import io.tickbus.feed.itch.MoldUdp64RerequestClient;
import io.tickbus.feed.pcap.CaptureReader;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;

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
 * With two or more UDP sources ({@link Context#from(String...)}, the venue's A and B lines) the sockets are read
 * in turn, a packet from each per round, and a {@link LineArbiter} passes the first copy of each venue packet to the
 * decoder, holds packets after a gap for {@link Context#abHoldNs()} while another line may fill it, and reports a
 * line silent for {@link Context#lineTimeoutNs()} while another has traffic.
 * <p>
 * Threading: runs on one thread (an {@link org.agrona.concurrent.AgentRunner} or an
 * {@link org.agrona.concurrent.AgentInvoker}). Allocation: none per packet.
 */
public final class FeedHandlerAgent implements Agent, AutoCloseable
{
    private final Context ctx;
    private final PacketSource source;
    private final PacketSource[] sources;
    private final PacketDecoder decoder;
    private final LineArbiter arbiter;
    private final MoldUdp64RerequestClient rerequest;
    private final NanoClock nanoClock;
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
            .maxSequenceJump(ctx.maxSequenceJump())
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
        final String[] lines = ctx.lines();
        sources = new PacketSource[lines.length];
        sources[0] = source;
        this.nanoClock = ctx.nanoClock();
        MoldUdp64RerequestClient client = null;
        try
        {
            for (int i = 1; i < lines.length; i++)
            {
                sources[i] = new UdpSource(lines[i], epochClock);
            }
            decoder = Venues.newDecoder(ctx.venue(), source.framing(), decoderContext);
            if (null != ctx.rerequest())
            {
                final java.net.URI uri = UdpSource.parse(ctx.rerequest());
                client = new MoldUdp64RerequestClient(
                    new java.net.InetSocketAddress(null == uri.getHost() ? UdpSource.DEFAULT_HOST : uri.getHost(),
                    uri.getPort()), ctx.rerequestTimeoutNs(), ctx.rerequestRetries(), ctx.rerequestMaxCount(),
                    ctx.rerequestIntervalNs(), ctx.recoveryStats());
            }
            rerequest = client;
            arbiter = lines.length < 2 && null == rerequest ? null : new LineArbiter(
                VenueFraming.of(ctx.venue()), decoder, lineNames(lines), ctx.abHoldNs(), ctx.lineTimeoutNs(),
                ctx.abHoldPackets(), Context.AB_HOLD_BYTES, ctx.maxSequenceJump(), ctx.errorHandler(),
                ctx.lineStats(), null == rerequest ? ctx.gapRecovery() : rerequest);
            if (null != rerequest)
            {
                rerequest.arbiter(arbiter);
            }
        }
        catch (final RuntimeException ex)
        {
            org.agrona.CloseHelper.quietClose(client);
            for (final PacketSource s : sources)
            {
                if (null != s)
                {
                    s.close();
                }
            }
            throw ex;
        }
    }

    /**
     * @param lines the sources of the lines.
     * @return "line A (udp://...)", "line B (...)", ...
     */
    public static String[] lineNames(final String[] lines)
    {
        final String[] names = new String[lines.length];
        for (int i = 0; i < lines.length; i++)
        {
            names[i] = "line " + lineLetter(i) + " (" + lines[i] + ")";
        }
        return names;
    }

    /**
     * @param line 0, 1, ...
     * @return "A", "B", ...
     */
    public static String lineLetter(final int line)
    {
        return line < 26 ? String.valueOf((char)('A' + line)) : "L" + line;
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
        if (null != arbiter)
        {
            return doArbitratedWork();
        }
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

    private int doArbitratedWork()
    {
        int work = arbiter.poll(nanoClock.nanoTime());
        if (null != rerequest)
        {
            work += rerequest.poll(epochClock.nanoTime());
        }
        final int limit = ctx.packetsPerCycle();
        int received = 0;
        boolean any = true;
        while (any && received < limit)
        {
            any = false;
            for (int line = 0; line < sources.length && received < limit; line++)
            {
                final PacketSource s = sources[line];
                if (s.next())
                {
                    packets++;
                    received++;
                    any = true;
                    arbiter.onPacket(line, s.buffer(), s.offset(), s.length(), s.timeNs(), s.packetNumber());
                }
            }
        }
        return work + received;
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

    /** @return the source (its local address for UDP); line A's when arbitrated. */
    public PacketSource source()
    {
        return source;
    }

    /**
     * @param line 0 for A, 1 for B, ...
     * @return that line's source.
     */
    public PacketSource source(final int line)
    {
        return sources[line];
    }

    /**
     * Before the first {@link #doWork()}: expect this venue sequence number next, in the arbiter (when there is one)
     * and the decoder. A handler restarted under the sequencer resumes after the feed's last sequenced source
     * sequence, so the outage is recovered (re-request) or announced (GapNotice) rather than silently skipped.
     *
     * @param nextVenueSeq the venue sequence number expected next.
     * @param epoch the venue session epoch the sequencer last took for the feed.
     * @return true when the decoder took it.
     */
    public boolean resume(final long nextVenueSeq, final int epoch)
    {
        if (null != arbiter)
        {
            arbiter.resume(nextVenueSeq);
        }
        return decoder.resume(nextVenueSeq, epoch);
    }

    /** @return the A/B arbiter, null with a single source. */
    public LineArbiter arbiter()
    {
        return arbiter;
    }

    /** @return the MoldUDP64 re-request client, null without a re-request endpoint. */
    public MoldUdp64RerequestClient rerequest()
    {
        return rerequest;
    }

    /** @return the decoder. */
    public PacketDecoder decoder()
    {
        return decoder;
    }

    /** {@inheritDoc} */
    public void onClose()
    {
        close();
    }

    /** Close the sources. */
    public void close()
    {
        for (final PacketSource s : sources)
        {
            s.close();
        }
        if (null != rerequest)
        {
            rerequest.close();
        }
    }

    /**
     * Configuration of a {@link FeedHandlerAgent}: property names, defaults, fluent setters, {@link #conclude()}.
     */
    public static final class Context
    {
        /** Property: venue name (see {@link Venues#names()}). */
        public static final String VENUE_PROP_NAME = "tickbus.feed.venue";
        /** Property: file path or {@code udp://HOST:PORT}; several UDP lines (A, B) separated by commas. */
        public static final String FROM_PROP_NAME = "tickbus.feed.from";
        /** Property: how long packets after a gap wait for another line to fill it, e.g. {@code 2ms}. */
        public static final String AB_HOLD_PROP_NAME = "tickbus.feed.ab.hold";
        /** Default A/B hold: 2 ms. */
        public static final long AB_HOLD_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(2);
        /** Property: silence after which a line is reported down while another has traffic, e.g. {@code 1s}. */
        public static final String LINE_TIMEOUT_PROP_NAME = "tickbus.feed.line.timeout";
        /** Default line timeout: 1 s. */
        public static final long LINE_TIMEOUT_DEFAULT_NS = TimeUnit.SECONDS.toNanos(1);
        /** Property: packets held at most while a gap waits for another line. */
        public static final String AB_HOLD_PACKETS_PROP_NAME = "tickbus.feed.ab.hold.packets";
        /** Default packets held at most. */
        public static final int AB_HOLD_PACKETS_DEFAULT = 4096;
        /** Bytes of the hold buffer. */
        public static final int AB_HOLD_BYTES = 4 * 1024 * 1024;
        /** Property: the venue's MoldUDP64 re-request endpoint, {@code udp://HOST:PORT} (none by default). */
        public static final String REREQUEST_PROP_NAME = "tickbus.feed.rerequest";
        /** Property: how long a re-request waits for its answer before it is sent again, e.g. {@code 50ms}. */
        public static final String REREQUEST_TIMEOUT_PROP_NAME = "tickbus.feed.rerequest.timeout";
        /** Default re-request timeout: 50 ms. */
        public static final long REREQUEST_TIMEOUT_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(50);
        /** Property: re-requests sent again for one gap before it is given up. */
        public static final String REREQUEST_RETRIES_PROP_NAME = "tickbus.feed.rerequest.retries";
        /** Default re-request retries. */
        public static final int REREQUEST_RETRIES_DEFAULT = 2;
        /** Property: messages asked for by one re-request at most. */
        public static final String REREQUEST_MAX_COUNT_PROP_NAME = "tickbus.feed.rerequest.max.count";
        /** Default messages per re-request. */
        public static final int REREQUEST_MAX_COUNT_DEFAULT = 1024;
        /** Property: least time between two re-requests (rate limit), e.g. {@code 1ms}. */
        public static final String REREQUEST_INTERVAL_PROP_NAME = "tickbus.feed.rerequest.interval";
        /** Default least time between re-requests: 1 ms. */
        public static final long REREQUEST_INTERVAL_DEFAULT_NS = TimeUnit.MILLISECONDS.toNanos(1);
        /** Property: pacing speed factor for files, 0 (or "max") as fast as possible. */
        public static final String SPEED_PROP_NAME = "tickbus.feed.speed";
        /** Property: packets per duty cycle. */
        public static final String PACKETS_PER_CYCLE_PROP_NAME = "tickbus.feed.packets.per.cycle";
        /** Default packets per duty cycle. */
        public static final int PACKETS_PER_CYCLE_DEFAULT = 64;

        private String venue = System.getProperty(VENUE_PROP_NAME);
        private String[] lines = splitLines(System.getProperty(FROM_PROP_NAME));
        private long abHoldNs = durationProperty(AB_HOLD_PROP_NAME, AB_HOLD_DEFAULT_NS);
        private long lineTimeoutNs = durationProperty(LINE_TIMEOUT_PROP_NAME, LINE_TIMEOUT_DEFAULT_NS);
        private int abHoldPackets = Integer.getInteger(AB_HOLD_PACKETS_PROP_NAME, AB_HOLD_PACKETS_DEFAULT);
        private LineStats lineStats;
        private GapRecovery gapRecovery;
        private String rerequest = System.getProperty(REREQUEST_PROP_NAME);
        private long rerequestTimeoutNs = durationProperty(REREQUEST_TIMEOUT_PROP_NAME, REREQUEST_TIMEOUT_DEFAULT_NS);
        private int rerequestRetries = Integer.getInteger(REREQUEST_RETRIES_PROP_NAME, REREQUEST_RETRIES_DEFAULT);
        private int rerequestMaxCount = Integer.getInteger(
            REREQUEST_MAX_COUNT_PROP_NAME, REREQUEST_MAX_COUNT_DEFAULT);
        private long rerequestIntervalNs = durationProperty(
            REREQUEST_INTERVAL_PROP_NAME, REREQUEST_INTERVAL_DEFAULT_NS);
        private RecoveryStats recoveryStats;
        private double speed = parseSpeed(System.getProperty(SPEED_PROP_NAME, "max"));
        private int packetsPerCycle = Integer.getInteger(PACKETS_PER_CYCLE_PROP_NAME, PACKETS_PER_CYCLE_DEFAULT);
        private int feedId = Integer.getInteger(DecoderContext.FEED_ID_PROP_NAME, DecoderContext.FEED_ID_DEFAULT);
        private long maxSequenceJump = Long.getLong(
            DecoderContext.MAX_SEQUENCE_JUMP_PROP_NAME, DecoderContext.MAX_SEQUENCE_JUMP_DEFAULT);
        private LocalDate tradingDate;
        private MessageSink sink;
        private FeedStats stats;
        private ErrorHandler errorHandler;
        private EpochNanoClock epochClock;
        private NanoClock nanoClock;
        private boolean stampCaptureTime = true;
        private boolean concluded;

        private static String[] splitLines(final String text)
        {
            return null == text || text.isBlank() ? new String[0] : text.trim().split("\\s*,\\s*");
        }

        private static long durationProperty(final String name, final long defaultNs)
        {
            final String text = System.getProperty(name);
            return null == text ? defaultNs : io.tickbus.client.Durations.parseNanos(text);
        }

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
            if (0 == lines.length || null == lines[0] || lines[0].isEmpty())
            {
                throw new IllegalArgumentException("source is required (a file or udp://HOST:PORT)");
            }
            if (lines.length > 1)
            {
                for (final String line : lines)
                {
                    if (!UdpSource.isUdpUri(line))
                    {
                        throw new IllegalArgumentException("A/B lines must all be udp://HOST:PORT: " + line);
                    }
                }
                if (new java.util.HashSet<>(java.util.Arrays.asList(lines)).size() != lines.length)
                {
                    throw new IllegalArgumentException("the same line given twice: " + String.join(", ", lines));
                }
            }
            for (final String line : lines)
            {
                if (UdpSource.isUdpUri(line))
                {
                    UdpSource.parse(line);
                }
            }
            if (abHoldNs < 0 || lineTimeoutNs <= 0 || abHoldPackets < 1)
            {
                throw new IllegalArgumentException("A/B hold must be >= 0, line timeout > 0, hold packets >= 1");
            }
            if (null == lineStats)
            {
                lineStats = LineStats.NONE;
            }
            if (null != rerequest)
            {
                if (!Venues.ITCH5.equals(venue))
                {
                    throw new IllegalArgumentException("re-request is MoldUDP64's (venue " + Venues.ITCH5 +
                        "), not " + venue + "'s");
                }
                if (!UdpSource.isUdpUri(lines[0]))
                {
                    throw new IllegalArgumentException("re-request needs UDP lines, not a file: " + lines[0]);
                }
                if (null != gapRecovery)
                {
                    throw new IllegalArgumentException("re-request and a gap recovery of its own: give one");
                }
                if (!UdpSource.isUdpUri(rerequest) || UdpSource.parse(rerequest).getPort() <= 0)
                {
                    throw new IllegalArgumentException("re-request endpoint must be udp://HOST:PORT: " + rerequest);
                }
                if (rerequestTimeoutNs <= 0 || rerequestRetries < 0 || rerequestMaxCount < 1 ||
                    rerequestMaxCount > io.tickbus.feed.itch.MoldUdp64Rerequest.MAX_COUNT || rerequestIntervalNs < 0)
                {
                    throw new IllegalArgumentException("re-request timeout must be > 0, retries >= 0, count 1.." +
                        io.tickbus.feed.itch.MoldUdp64Rerequest.MAX_COUNT + ", interval >= 0");
                }
            }
            if (null == recoveryStats)
            {
                recoveryStats = RecoveryStats.NONE;
            }
            if (null == gapRecovery && null == rerequest)
            {
                gapRecovery = GapRecovery.NONE;
            }
            if (packetsPerCycle < 1)
            {
                throw new IllegalArgumentException("packets per cycle must be >= 1: " + packetsPerCycle);
            }
            if (feedId < 0 || feedId > 0xFFFF)
            {
                throw new IllegalArgumentException("feed id must be 0..65535: " + feedId);
            }
            if (maxSequenceJump < 1)
            {
                throw new IllegalArgumentException("max sequence jump must be >= 1: " + maxSequenceJump);
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
         * @param from file path or {@code udp://HOST:PORT}: one source.
         * @return this.
         */
        public Context from(final String from)
        {
            this.lines = new String[]{from};
            return this;
        }

        /**
         * @param lines the venue's lines, {@code udp://HOST:PORT} each (A first, then B, ...); two or more are
         * arbitrated ({@link LineArbiter}); one is the same as {@link #from(String)}.
         * @return this.
         */
        public Context from(final String... lines)
        {
            this.lines = lines.clone();
            return this;
        }

        /** @return file path or UDP address (line A's when arbitrated). */
        public String from()
        {
            return 0 == lines.length ? null : lines[0];
        }

        /** @return every source given, one per line. */
        public String[] lines()
        {
            return lines.clone();
        }

        /**
         * @param holdNs how long packets after a gap wait for another line to fill it.
         * @return this.
         */
        public Context abHoldNs(final long holdNs)
        {
            this.abHoldNs = holdNs;
            return this;
        }

        /** @return how long packets after a gap wait for another line. */
        public long abHoldNs()
        {
            return abHoldNs;
        }

        /**
         * @param timeoutNs silence after which a line is reported down while another has traffic.
         * @return this.
         */
        public Context lineTimeoutNs(final long timeoutNs)
        {
            this.lineTimeoutNs = timeoutNs;
            return this;
        }

        /** @return silence after which a line is reported down. */
        public long lineTimeoutNs()
        {
            return lineTimeoutNs;
        }

        /**
         * @param packets packets held at most while a gap waits for another line.
         * @return this.
         */
        public Context abHoldPackets(final int packets)
        {
            this.abHoldPackets = packets;
            return this;
        }

        /** @return packets held at most. */
        public int abHoldPackets()
        {
            return abHoldPackets;
        }

        /**
         * @param lineStats per-line counts ({@link LineCounters}).
         * @return this.
         */
        public Context lineStats(final LineStats lineStats)
        {
            this.lineStats = lineStats;
            return this;
        }

        /** @return per-line counts. */
        public LineStats lineStats()
        {
            return lineStats;
        }

        /**
         * @param gapRecovery what a gap no line filled is offered to before it is declared.
         * @return this.
         */
        public Context gapRecovery(final GapRecovery gapRecovery)
        {
            this.gapRecovery = gapRecovery;
            return this;
        }

        /** @return what a gap no line filled is offered to. */
        public GapRecovery gapRecovery()
        {
            return gapRecovery;
        }

        /**
         * @param rerequest the venue's MoldUDP64 re-request endpoint, {@code udp://HOST:PORT}, or null for none; with
         *                  it, one line is arbitrated too, so that its gaps are held while they are re-requested.
         * @return this.
         */
        public Context rerequest(final String rerequest)
        {
            this.rerequest = rerequest;
            return this;
        }

        /** @return the re-request endpoint, null for none. */
        public String rerequest()
        {
            return rerequest;
        }

        /**
         * @param timeoutNs how long a re-request waits for its answer before it is sent again.
         * @return this.
         */
        public Context rerequestTimeoutNs(final long timeoutNs)
        {
            this.rerequestTimeoutNs = timeoutNs;
            return this;
        }

        /** @return re-request timeout, ns. */
        public long rerequestTimeoutNs()
        {
            return rerequestTimeoutNs;
        }

        /**
         * @param retries re-requests sent again for one gap before it is given up.
         * @return this.
         */
        public Context rerequestRetries(final int retries)
        {
            this.rerequestRetries = retries;
            return this;
        }

        /** @return re-request retries. */
        public int rerequestRetries()
        {
            return rerequestRetries;
        }

        /**
         * @param maxCount messages one re-request asks for at most.
         * @return this.
         */
        public Context rerequestMaxCount(final int maxCount)
        {
            this.rerequestMaxCount = maxCount;
            return this;
        }

        /** @return messages per re-request at most. */
        public int rerequestMaxCount()
        {
            return rerequestMaxCount;
        }

        /**
         * @param intervalNs least time between two re-requests.
         * @return this.
         */
        public Context rerequestIntervalNs(final long intervalNs)
        {
            this.rerequestIntervalNs = intervalNs;
            return this;
        }

        /** @return least time between two re-requests, ns. */
        public long rerequestIntervalNs()
        {
            return rerequestIntervalNs;
        }

        /**
         * @param recoveryStats re-request counts ({@link RecoveryCounters}).
         * @return this.
         */
        public Context recoveryStats(final RecoveryStats recoveryStats)
        {
            this.recoveryStats = recoveryStats;
            return this;
        }

        /** @return re-request counts. */
        public RecoveryStats recoveryStats()
        {
            return recoveryStats;
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
         * @param maxSequenceJump largest forward jump of the venue's sequence believed from one packet (property
         * {@value DecoderContext#MAX_SEQUENCE_JUMP_PROP_NAME}); a larger one is counted malformed and moves nothing.
         * @return this.
         */
        public Context maxSequenceJump(final long maxSequenceJump)
        {
            this.maxSequenceJump = maxSequenceJump;
            return this;
        }

        /** @return largest forward jump of the venue's sequence believed from one packet. */
        public long maxSequenceJump()
        {
            return maxSequenceJump;
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
