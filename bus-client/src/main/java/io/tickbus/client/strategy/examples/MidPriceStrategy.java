package io.tickbus.client.strategy.examples;

import io.tickbus.client.ProcessEpochClock;
import io.tickbus.client.CommonBlock;
import io.tickbus.client.InstrumentDirectory;
import io.tickbus.client.MessageDispatcher;
import io.tickbus.client.book.BookListener;
import io.tickbus.client.book.OrderBook;
import io.tickbus.client.book.OrderBooks;
import io.tickbus.client.strategy.ClockMode;
import io.tickbus.client.strategy.Strategy;
import io.tickbus.client.strategy.StrategyContext;
import org.HdrHistogram.Histogram;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.EpochNanoClock;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A sample strategy: keeps a book per instrument (any feed: market by order, by price, snapshots or top of book) and
 * tracks mid price, microprice and VWAP; measures its own reaction latency; and folds every mid change into a
 * running 64-bit digest so two runs over the same data can be compared (live against a replay, or two backtests).
 * <p>
 * The digest covers the sequence of (feed id, instrument id, bid + ask) each time an instrument's two-sided mid
 * changes; it depends only on the message contents, not on the clock, so a live run and a replay of the same stream
 * agree. A sampling timer fires at the first whole {@link #samplePeriodNs()} boundary of strategy time after a
 * message, and is armed again by the next message: across a quiet spell it fires once, not once per missed period,
 * and live and backtest runs fire it at the same boundaries.
 * <p>
 * Reaction latency is measured from the message's receive time (feed handler) to the end of the callback, on the
 * wall clock, in WALL mode; in EVENT mode (a backtest, where receive times are historical) from the start of the
 * callback instead.
 * <p>
 * Threading: one thread (the runner's). Allocation: per instrument on first sight; none per message.
 */
public final class MidPriceStrategy implements Strategy, BookListener
{
    /** Default sampling timer period: one second of strategy time. */
    public static final long DEFAULT_SAMPLE_PERIOD_NS = TimeUnit.SECONDS.toNanos(1);
    /** Highest latency the histogram records; longer ones are counted apart. */
    public static final long MAX_TRACKED_LATENCY_NS = TimeUnit.SECONDS.toNanos(10);

    private static final long DIGEST_SEED = 0x7101_7101_7101_7101L;
    private static final long DIGEST_PRIME = 0x9E37_79B9_7F4A_7C15L;

    /**
     * Running figures of one instrument.
     */
    public static final class InstrumentStats
    {
        final OrderBook book;
        long bid = OrderBook.NULL_PRICE;
        long ask = OrderBook.NULL_PRICE;
        long bidQuantity;
        long askQuantity;
        long midUpdates;
        long tradedQuantity;
        double notional;

        InstrumentStats(final OrderBook book)
        {
            this.book = book;
        }

        /** @return the book. */
        public OrderBook book()
        {
            return book;
        }

        /** @return mid price in price units, or NaN when not two-sided. */
        public double mid()
        {
            return bid == OrderBook.NULL_PRICE ? Double.NaN : (bid + (double)ask) / 2.0 * scale(book);
        }

        /** @return size-weighted mid (microprice) in price units, or NaN when not two-sided. */
        public double microprice()
        {
            if (bid == OrderBook.NULL_PRICE)
            {
                return Double.NaN;
            }
            final double total = bidQuantity + (double)askQuantity;
            return (bid * (double)askQuantity + ask * (double)bidQuantity) / total * scale(book);
        }

        /** @return volume-weighted average trade price in price units, or NaN when nothing traded. */
        public double vwap()
        {
            return 0 == tradedQuantity ? Double.NaN : notional / tradedQuantity * scale(book);
        }

        /** @return times the mid changed. */
        public long midUpdates()
        {
            return midUpdates;
        }

        /** @return traded quantity seen. */
        public long tradedQuantity()
        {
            return tradedQuantity;
        }

        private static double scale(final OrderBook book)
        {
            final int exponent = book.priceExponent() == OrderBook.UNSET_EXPONENT ? 0 : book.priceExponent();
            return Math.pow(10, exponent);
        }
    }

    private final long samplePeriodNs;
    private final OrderBooks books;
    private final MessageDispatcher bookFeed;
    private final Long2ObjectHashMap<InstrumentStats> stats = new Long2ObjectHashMap<>(64, 0.65f);
    private final List<InstrumentStats> statsList = new ArrayList<>();
    private final Histogram reactionLatency = new Histogram(MAX_TRACKED_LATENCY_NS, 3);
    private final EpochNanoClock wallClock;
    private StrategyContext context;
    private boolean eventMode;
    private long digest = DIGEST_SEED;
    private long messages;
    private long midUpdates;
    private long samples;
    private long latencyOutOfRange;
    private boolean ended;
    private boolean samplePending;

    /** A strategy with a one-second sampling timer (the constructor {@code tickbus backtest --strategy} uses). */
    public MidPriceStrategy()
    {
        this(DEFAULT_SAMPLE_PERIOD_NS, ProcessEpochClock.get());
    }

    /**
     * @param samplePeriodNs period of the sampling timer in strategy time, 0 for none.
     * @param wallClock clock for reaction latency.
     */
    public MidPriceStrategy(final long samplePeriodNs, final EpochNanoClock wallClock)
    {
        this.samplePeriodNs = samplePeriodNs;
        this.wallClock = wallClock;
        this.books = new OrderBooks(new OrderBooks.Context().listener(this));
        this.bookFeed = new MessageDispatcher(books);
    }

    /** {@inheritDoc} */
    public void onStart(final StrategyContext context)
    {
        this.context = context;
        this.eventMode = context.clockMode() == ClockMode.EVENT;
    }

    /** {@inheritDoc} */
    public void onMessage(
        final DirectBuffer buffer, final int offset, final int length, final int templateId, final long position)
    {
        final long startNs = eventMode ? wallClock.nanoTime() : CommonBlock.receiveTime(buffer, offset);
        if (!samplePending && samplePeriodNs > 0)
        {
            final long nowNs = context.nowNs();
            if (nowNs > 0)
            {
                samplePending = true;
                context.scheduleTimer((nowNs / samplePeriodNs + 1) * samplePeriodNs);
            }
        }
        messages++;
        bookFeed.dispatch(buffer, offset, length, position);
        if (startNs > 0)
        {
            final long latencyNs = wallClock.nanoTime() - startNs;
            if (latencyNs >= 0 && latencyNs <= MAX_TRACKED_LATENCY_NS)
            {
                reactionLatency.recordValue(latencyNs);
            }
            else
            {
                latencyOutOfRange++;
            }
        }
    }

    /** {@inheritDoc} */
    public void onBookUpdate(final OrderBook book, final int templateId)
    {
        final InstrumentStats s = statsOf(book);
        if (!book.isTwoSided() || book.isCrossed())
        {
            s.bid = OrderBook.NULL_PRICE;
            s.ask = OrderBook.NULL_PRICE;
            s.bidQuantity = 0;
            s.askQuantity = 0;
            return;
        }
        final long bid = book.bestBidPrice();
        final long ask = book.bestAskPrice();
        s.bidQuantity = book.bestBidQuantity();
        s.askQuantity = book.bestAskQuantity();
        if (bid + ask != s.bid + s.ask || s.bid == OrderBook.NULL_PRICE)
        {
            s.bid = bid;
            s.ask = ask;
            s.midUpdates++;
            midUpdates++;
            digest = mix(mix(mix(digest, book.feedId()), book.instrumentId()), bid + ask);
        }
        else
        {
            s.bid = bid;
            s.ask = ask;
        }
    }

    /** {@inheritDoc} */
    public void onTrade(final OrderBook book, final long price, final long quantity, final long exchangeTime)
    {
        final InstrumentStats s = statsOf(book);
        s.tradedQuantity += quantity;
        s.notional += (double)price * quantity;
    }

    /** {@inheritDoc} */
    public void onTimer(final long timerId, final long nowNs)
    {
        samples++;
        samplePending = false;
    }

    /** {@inheritDoc} */
    public void onEnd()
    {
        ended = true;
    }

    /** @return the running digest of mid changes. */
    public long digest()
    {
        return digest;
    }

    /** @return the digest as 16 hex digits. */
    public String digestHex()
    {
        return String.format("%016x", digest);
    }

    /** @return messages seen. */
    public long messageCount()
    {
        return messages;
    }

    /** @return mid changes over all instruments. */
    public long midUpdateCount()
    {
        return midUpdates;
    }

    /** @return sampling timers fired. */
    public long sampleCount()
    {
        return samples;
    }

    /** @return period of the sampling timer. */
    public long samplePeriodNs()
    {
        return samplePeriodNs;
    }

    /** @return the books. */
    public OrderBooks books()
    {
        return books;
    }

    /** @return reaction latency, ns. */
    public Histogram reactionLatency()
    {
        return reactionLatency;
    }

    /** @return latencies outside the histogram's range (negative or over 10 s). */
    public long latencyOutOfRangeCount()
    {
        return latencyOutOfRange;
    }

    /**
     * @param feedId feed id.
     * @param instrumentId instrument id.
     * @return the instrument's figures, or null when never seen.
     */
    public InstrumentStats stats(final int feedId, final int instrumentId)
    {
        return stats.get(InstrumentDirectory.key(feedId, instrumentId));
    }

    /**
     * Print one line per instrument (cold path): symbol, best bid and ask, mid, microprice, VWAP, last trade.
     *
     * @param out destination.
     * @param maxLines most instruments to print.
     */
    public void printMids(final PrintStream out, final int maxLines)
    {
        int lines = 0;
        for (final InstrumentStats s : statsList)
        {
            if (lines++ >= maxLines)
            {
                break;
            }
            final OrderBook book = s.book;
            out.printf(Locale.ROOT, "%-10s bid=%s x %d ask=%s x %d mid=%.6f micro=%.6f vwap=%.6f last=%s mids=%d%n",
                null == book.symbol() ? book.feedId() + ":" + book.instrumentId() : book.symbol(),
                price(book, book.bestBidPrice()), book.bestBidQuantity(),
                price(book, book.bestAskPrice()), book.bestAskQuantity(),
                s.mid(), s.microprice(), s.vwap(), price(book, book.lastTradePrice()), s.midUpdates);
        }
    }

    /**
     * @return one line of JSON: messages, instruments, mid updates, digest, samples, reaction latency percentiles
     * (ns) and book anomalies.
     */
    public String summary()
    {
        return String.format(Locale.ROOT,
            "{\"messages\":%d,\"instruments\":%d,\"midUpdates\":%d,\"digest\":\"%s\",\"samples\":%d," +
            "\"reactionLatencyNs\":{\"count\":%d,\"p50\":%d,\"p99\":%d,\"p999\":%d,\"max\":%d,\"outOfRange\":%d}," +
            "\"unknownRefs\":%d,\"crossedOrLocked\":%d,\"invalid\":%d}",
            messages, statsList.size(), midUpdates, digestHex(), samples,
            reactionLatency.getTotalCount(),
            reactionLatency.getValueAtPercentile(50), reactionLatency.getValueAtPercentile(99),
            reactionLatency.getValueAtPercentile(99.9), reactionLatency.getMaxValue(), latencyOutOfRange,
            books.unknownReferenceCount(), books.crossedOrLockedCount(), books.invalidCount());
    }

    /**
     * Print the mids then the summary.
     *
     * @param out destination.
     */
    public void printSummary(final PrintStream out)
    {
        printMids(out, 20);
        out.println(summary());
    }

    /**
     * One step of the digest: order-sensitive 64-bit mixing of one value into the running hash.
     *
     * @param hash running hash.
     * @param value value to fold in.
     * @return new hash.
     */
    public static long mix(final long hash, final long value)
    {
        long h = (hash ^ value) * DIGEST_PRIME;
        h ^= h >>> 32;
        return h;
    }

    private InstrumentStats statsOf(final OrderBook book)
    {
        final long key = InstrumentDirectory.key(book.feedId(), book.instrumentId());
        InstrumentStats s = stats.get(key);
        if (null == s)
        {
            s = new InstrumentStats(book);
            stats.put(key, s);
            statsList.add(s);
        }
        return s;
    }

    private static String price(final OrderBook book, final long mantissa)
    {
        if (mantissa == OrderBook.NULL_PRICE)
        {
            return "-";
        }
        final int exponent = book.priceExponent() == OrderBook.UNSET_EXPONENT ? 0 : book.priceExponent();
        return BigDecimal.valueOf(mantissa, -exponent).toPlainString();
    }
}
