package io.tickbus.feed;

import io.tickbus.client.MessageSink;
import org.agrona.ErrorHandler;

import java.time.LocalDate;

/**
 * What every venue decoder needs at construction: where its messages go, what it reports to, its feed id, and
 * the trading date (ITCH timestamps are nanoseconds since midnight and need it; IEX and CME carry epoch times and
 * use it only for the instrument definitions' trading date).
 * <p>
 * Not thread safe: fill it, {@link #conclude()} it, hand it to one decoder.
 */
public final class DecoderContext
{
    /** System property: the trading date, YYYY-MM-DD, when neither the option nor the file name gives one. */
    public static final String TRADING_DATE_PROP_NAME = "tickbus.feed.trading.date";
    /** System property: feed id stamped in messages. */
    public static final String FEED_ID_PROP_NAME = "tickbus.feed.id";
    /** Default feed id. */
    public static final int FEED_ID_DEFAULT = 1;
    /** System property: largest forward jump of a venue sequence believed from one packet (bounded trust). */
    public static final String MAX_SEQUENCE_JUMP_PROP_NAME = "tickbus.feed.max.sequence.jump";
    /**
     * Default bound: a hundred million sequence numbers, minutes of a venue's peak rate (the ITCH sample capture
     * v5.0_Multiple.Packets.pcap, an excerpt, jumps 4.2 million), while a corrupt 64-bit number is almost always
     * far beyond it.
     */
    public static final long MAX_SEQUENCE_JUMP_DEFAULT = 100_000_000;

    private MessageSink sink;
    private FeedStats stats;
    private int feedId = Integer.getInteger(FEED_ID_PROP_NAME, FEED_ID_DEFAULT);
    private long maxSequenceJump = Long.getLong(MAX_SEQUENCE_JUMP_PROP_NAME, MAX_SEQUENCE_JUMP_DEFAULT);
    private LocalDate tradingDate;
    private ErrorHandler errorHandler;
    private boolean concluded;

    /**
     * Check and complete: a missing sink discards messages, missing stats count nothing, a missing trading
     * date comes from {@link #TRADING_DATE_PROP_NAME} or else is today's date in UTC.
     *
     * @return this.
     */
    public DecoderContext conclude()
    {
        if (concluded)
        {
            return this;
        }
        concluded = true;
        if (null == sink)
        {
            sink = (buffer, offset, length) -> 1;
        }
        if (null == stats)
        {
            stats = FeedStats.NONE;
        }
        if (null == errorHandler)
        {
            errorHandler = Throwable::printStackTrace;
        }
        if (null == tradingDate)
        {
            final String prop = System.getProperty(TRADING_DATE_PROP_NAME);
            tradingDate = null != prop ? LocalDate.parse(prop) : LocalDate.now(java.time.ZoneOffset.UTC);
        }
        if (feedId < 0 || feedId > 0xFFFF)
        {
            throw new IllegalArgumentException("feed id must be 0..65535: " + feedId);
        }
        if (maxSequenceJump < 1)
        {
            throw new IllegalArgumentException("max sequence jump must be >= 1: " + maxSequenceJump);
        }
        return this;
    }

    /**
     * @param maxSequenceJump largest forward jump of the venue's sequence believed from one packet; a larger one
     * is counted malformed and does not move the expectation (see {@link VenueSequenceTracker}).
     * @return this.
     */
    public DecoderContext maxSequenceJump(final long maxSequenceJump)
    {
        this.maxSequenceJump = maxSequenceJump;
        return this;
    }

    /** @return largest forward jump of the venue's sequence believed from one packet. */
    public long maxSequenceJump()
    {
        return maxSequenceJump;
    }

    /** @return a venue sequence tracker with this context's bound. */
    public VenueSequenceTracker newSequenceTracker()
    {
        return new VenueSequenceTracker(maxSequenceJump);
    }

    /**
     * @param sink where normalized messages go.
     * @return this.
     */
    public DecoderContext sink(final MessageSink sink)
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
     * @param stats what the decoder reports to.
     * @return this.
     */
    public DecoderContext stats(final FeedStats stats)
    {
        this.stats = stats;
        return this;
    }

    /** @return what the decoder reports to. */
    public FeedStats stats()
    {
        return stats;
    }

    /**
     * @param feedId feed id, 0..65535.
     * @return this.
     */
    public DecoderContext feedId(final int feedId)
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
     * @param tradingDate the trading date of the data.
     * @return this.
     */
    public DecoderContext tradingDate(final LocalDate tradingDate)
    {
        this.tradingDate = tradingDate;
        return this;
    }

    /** @return the trading date of the data. */
    public LocalDate tradingDate()
    {
        return tradingDate;
    }

    /**
     * @param errorHandler for errors that are not about the input bytes (those go to {@link #stats()}).
     * @return this.
     */
    public DecoderContext errorHandler(final ErrorHandler errorHandler)
    {
        this.errorHandler = errorHandler;
        return this;
    }

    /** @return the error handler. */
    public ErrorHandler errorHandler()
    {
        return errorHandler;
    }
}
