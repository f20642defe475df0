package io.tickbus.feed.sim;

import io.tickbus.client.ProcessEpochClock;
import io.tickbus.feed.itch.ItchMessages;
import io.tickbus.feed.itch.ItchTime;
import io.tickbus.feed.itch.MoldUdp64Decoder;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * An exchange simulator: generates realistic NASDAQ TotalView-ITCH 5.0 order flow for N symbols (this class: the
 * session, the order book model and the ITCH messages) and sends it as MoldUDP64 packets through a
 * {@link MoldUdp64PacketWriter} (or writes it as an ITCH binary file).
 * <p>
 * A session is: system events O (start of messages) and S (start of system hours); a Stock Directory (R) and a
 * Stock Trading Action (H, trading) per symbol; system event Q (start of market hours); then {@code count}
 * order-flow messages: adds (A, and F with an MPID), partial and full executions (E, C), partial cancels (X),
 * deletes (D), replaces (U) and non-displayed trades (P) around a random-walk mid price per symbol, every one of
 * them valid for the live orders (no execution of an unknown order, no over-execution); then system events M, E
 * and C (end of messages) and a MoldUDP64 end-of-session packet. Random choices come from a seeded generator, so a
 * seed gives the same messages (timestamps aside).
 * <p>
 * {@code rate} messages per second are sent, packed by the writer into packets of at most {@code maxPacketBytes}
 * (messages due at the same time share a packet); rate 0 sends as fast as possible. A heartbeat (count 0) goes out
 * after a second without packets.
 * <p>
 * Threading: one thread (an Agent). Allocation: the order pool at construction, nothing per message.
 */
public final class ItchSimulator implements Agent, AutoCloseable
{
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final String[] NAMES = {
        "AAPL", "MSFT", "NVDA", "AMZN", "META", "GOOGL", "TSLA", "AVGO", "COST", "NFLX",
        "AMD", "PEP", "ADBE", "CSCO", "INTC", "QCOM", "TXN", "AMGN", "INTU", "SBUX"};
    private static final long TICK = 100;
    private static final long HEARTBEAT_INTERVAL_NS = 1_000_000_000L;
    /** Live orders one symbol holds at most in the day profile (a busy book's top levels). */
    private static final int DAY_ORDERS_PER_SYMBOL = 64;
    /** Day profile: cancels, executions and replaces act on one of the symbol's this many newest orders. */
    private static final int DAY_RECENT_ORDERS = 8;

    private final Context ctx;
    private final MoldUdp64PacketWriter writer;
    private final SplittableRandom random;
    private final NanoClock nanoClock;
    private final EpochNanoClock epochClock;
    private final long midnightEpochNs;
    private final UnsafeBuffer packet;
    private final byte[][] symbols;
    private final long[] mid;
    private final long[] typeCounts = new long[256];

    private final long[] orderRef;
    private final int[] orderLocate;
    private final byte[] orderSide;
    private final long[] orderPrice;
    private final long[] orderShares;
    /** Live orders of each symbol, an intrusive doubly linked list over the order slots (-1 ends it). */
    private final int[] symbolHead;
    private final int[] symbolLive;
    private final int[] orderNext;
    private final int[] orderPrev;
    private final int[] sweepScratch;
    private final TradingDayProfile day;
    private long dayTimeNs;
    private int live;

    private long nextOrderRef = 1;
    private long nextMatch = 1;
    private long startNs;
    private long produced;
    private long messages;
    private int phase;
    private volatile boolean done;

    /**
     * @param ctx configuration, concluded here.
     */
    public ItchSimulator(final Context ctx)
    {
        this.ctx = ctx.conclude();
        this.writer = new MoldUdp64PacketWriter(ctx.output(), ctx.session(), ctx.maxPacketBytes(), ctx.nanoClock());
        this.packet = writer.buffer();
        this.random = new SplittableRandom(ctx.seed());
        this.nanoClock = ctx.nanoClock();
        this.epochClock = ctx.epochClock();
        this.midnightEpochNs = ItchTime.midnightEpochNs(ctx.tradingDate());
        final int n = ctx.symbols();
        symbols = new byte[n][];
        mid = new long[n];
        for (int i = 0; i < n; i++)
        {
            symbols[i] = padded(symbolName(i));
            mid[i] = (20 + random.nextInt(480)) * 10_000L;
        }
        final int capacity = ctx.maxLiveOrders();
        orderRef = new long[capacity];
        orderLocate = new int[capacity];
        orderSide = new byte[capacity];
        orderPrice = new long[capacity];
        orderShares = new long[capacity];
        orderNext = new int[capacity];
        orderPrev = new int[capacity];
        sweepScratch = new int[capacity];
        symbolHead = new int[n];
        symbolLive = new int[n];
        java.util.Arrays.fill(symbolHead, -1);
        day = Profile.DAY == ctx.profile() ? new TradingDayProfile(n, ctx.symbolExponent()) : null;
        dayTimeNs = TradingDayProfile.SYSTEM_START_NS;
    }

    /**
     * @param i symbol index.
     * @return the simulated symbol of stock locate i + 1.
     */
    public static String symbolName(final int i)
    {
        if (i < NAMES.length)
        {
            return NAMES[i];
        }
        final int k = i - NAMES.length;
        return "SX" + (char)('A' + (k / 676) % 26) + (char)('A' + (k / 26) % 26) + (char)('A' + k % 26);
    }

    /** {@inheritDoc} */
    public String roleName()
    {
        return "tickbus-simulator-itch5";
    }

    /** {@inheritDoc} */
    public int doWork()
    {
        if (done)
        {
            return 0;
        }
        final long nowNs = nanoClock.nanoTime();
        int work = 0;
        if (0 == phase)
        {
            startNs = nowNs;
            writer.start(nowNs);
            preamble();
            phase = 1;
            work += writer.flush(nowNs);
        }
        if (1 == phase)
        {
            final long due = ctx.rate() > 0 ?
                Math.min(ctx.count(), (long)((nowNs - startNs) * (ctx.rate() / 1e9)) + 1) :
                Math.min(ctx.count(), produced + ctx.maxMessagesPerCycle());
            int cycle = 0;
            while (produced < due && cycle < ctx.maxMessagesPerCycle())
            {
                if (null != day)
                {
                    dayTimeNs = day.timeOfDayNs(produced, ctx.count());
                }
                final long before = messages;
                step(ctx.count() - produced);
                produced += messages - before;
                cycle++;
            }
            work += cycle;
            work += writer.flush(nowNs);
            if (produced >= ctx.count())
            {
                phase = 2;
            }
        }
        if (2 == phase)
        {
            if (null != day)
            {
                dayTimeNs = TradingDayProfile.CLOSE_NS;
                crosses(ItchMessages.CROSS_CLOSING);
            }
            systemEvent(ItchMessages.EVENT_END_OF_MARKET_HOURS);
            if (null != day)
            {
                dayTimeNs = TradingDayProfile.SYSTEM_END_NS;
            }
            systemEvent(ItchMessages.EVENT_END_OF_SYSTEM_HOURS);
            systemEvent(ItchMessages.EVENT_END_OF_MESSAGES);
            writer.flush(nowNs);
            writer.endOfSession();
            done = true;
            return work + 1;
        }
        if (0 == work)
        {
            work += writer.heartbeatIfIdle(nowNs, HEARTBEAT_INTERVAL_NS);
        }
        return work;
    }

    /**
     * @return true once the end of session was sent; any thread (volatile: once true, {@link #messagesSent()} read
     * after it is the final count).
     */
    public boolean isDone()
    {
        return done;
    }

    /** @return ITCH messages sent so far (all types). */
    public long messagesSent()
    {
        return messages;
    }

    /**
     * @param type ITCH type letter.
     * @return messages of that type sent so far.
     */
    public long messagesSent(final char type)
    {
        return typeCounts[type & 0xFF];
    }

    /** @return packets sent (data, heartbeat and end of session). */
    public long packetsSent()
    {
        return writer.packets();
    }

    /** @return the next MoldUDP64 sequence number. */
    public long nextSequence()
    {
        return writer.nextSequence();
    }

    /** {@inheritDoc} */
    public void onClose()
    {
        writer.close();
    }

    /** Close the output. */
    public void close()
    {
        writer.close();
    }

    private void preamble()
    {
        systemEvent(ItchMessages.EVENT_START_OF_MESSAGES);
        systemEvent(ItchMessages.EVENT_START_OF_SYSTEM_HOURS);
        for (int i = 0; i < symbols.length; i++)
        {
            stockDirectory(i);
            tradingAction(i);
        }
        if (null != day)
        {
            dayTimeNs = TradingDayProfile.OPEN_NS;
        }
        systemEvent(ItchMessages.EVENT_START_OF_MARKET_HOURS);
        if (null != day)
        {
            crosses(ItchMessages.CROSS_OPENING);
        }
    }

    /**
     * The opening or closing cross of every symbol, at its mid (an auction print: the book is untouched), for a
     * number of shares that grows with the symbol's activity.
     */
    private void crosses(final byte crossType)
    {
        for (int s = 0; s < symbols.length; s++)
        {
            final long shares = 100L * (1 + random.nextInt(1 + (int)(1_000 * day.shareOfTop(1) / (1 + s))));
            final int m = begin(ItchMessages.CROSS_TRADE, s + 1);
            packet.putLong(m + 11, shares, BE);
            packet.putBytes(m + 19, symbols[s]);
            packet.putInt(m + 27, (int)mid[s], BE);
            packet.putLong(m + 31, nextMatch++, BE);
            packet.putByte(m + 39, crossType);
        }
    }

    /**
     * One order-flow event: a message, plus the executions of resting orders a mid move sweeps.
     *
     * @param budget order-flow messages still to produce; the mid moves only while a full sweep fits in it.
     */
    private void step(final long budget)
    {
        final int s = null == day ? random.nextInt(symbols.length) : day.nextSymbol(random);
        if (random.nextInt(100) < 30 && budget > live + 1)
        {
            final long moved = mid[s] + (random.nextBoolean() ? TICK : -TICK);
            mid[s] = Math.max(10_000L, moved);
            sweep(s);
        }
        final boolean symbolFull = null != day && symbolLive[s] >= DAY_ORDERS_PER_SYMBOL;
        if (live < Math.min(symbols.length * 4, orderRef.length - 1) && !symbolFull)
        {
            addOrder(s);
            return;
        }
        final int r = random.nextInt(100);
        if (live >= orderRef.length - 1 && r < 40)
        {
            deleteOrder(orderFor(s));
            return;
        }
        if (r < 35)
        {
            if (symbolFull)
            {
                deleteOrder(orderFor(s));
            }
            else
            {
                addOrder(s);
            }
        }
        else if (r < 50)
        {
            deleteOrder(orderFor(s));
        }
        else if (r < 60)
        {
            cancelOrder(orderFor(s));
        }
        else if (r < 70)
        {
            executeOrder(orderFor(s), false);
        }
        else if (r < 75)
        {
            executeOrder(orderFor(s), true);
        }
        else if (r < 88)
        {
            replaceOrder(orderFor(s));
        }
        else
        {
            trade(s);
        }
    }

    /**
     * The live order an event acts on: any live order (flat profile), or one of the event's symbol (day profile,
     * so cancels and executions follow the symbol's activity too; one of its most recent, as on a real day most
     * cancels hit young orders; any live order when the symbol has none).
     */
    private int orderFor(final int s)
    {
        if (null == day || 0 == symbolLive[s])
        {
            return random.nextInt(live);
        }
        int o = symbolHead[s];
        for (int n = random.nextInt(Math.min(symbolLive[s], DAY_RECENT_ORDERS)); n > 0; n--)
        {
            o = orderNext[o];
        }
        return o;
    }

    private void addOrder(final int s)
    {
        final boolean buy = random.nextBoolean();
        final long price = buy ? mid[s] - TICK * (1 + random.nextInt(5)) : mid[s] + TICK * (1 + random.nextInt(5));
        final long shares = 100L * (1 + random.nextInt(10));
        final boolean withMpid = random.nextInt(10) == 0;
        final int o = live++;
        orderRef[o] = nextOrderRef++;
        orderLocate[o] = s + 1;
        symbolLive[s]++;
        orderPrev[o] = -1;
        orderNext[o] = symbolHead[s];
        if (-1 != symbolHead[s])
        {
            orderPrev[symbolHead[s]] = o;
        }
        symbolHead[s] = o;
        orderSide[o] = buy ? (byte)'B' : (byte)'S';
        orderPrice[o] = price;
        orderShares[o] = shares;

        final int m = begin(withMpid ? ItchMessages.ADD_ORDER_MPID : ItchMessages.ADD_ORDER, s + 1);
        packet.putLong(m + 11, orderRef[o], BE);
        packet.putByte(m + 19, orderSide[o]);
        packet.putInt(m + 20, (int)shares, BE);
        packet.putBytes(m + 24, symbols[s]);
        packet.putInt(m + 32, (int)price, BE);
        if (withMpid)
        {
            packet.putByte(m + 36, (byte)'S');
            packet.putByte(m + 37, (byte)'I');
            packet.putByte(m + 38, (byte)'M');
            packet.putByte(m + 39, (byte)'X');
        }
    }

    private void deleteOrder(final int o)
    {
        final int m = begin(ItchMessages.ORDER_DELETE, orderLocate[o]);
        packet.putLong(m + 11, orderRef[o], BE);
        removeOrder(o);
    }

    private void cancelOrder(final int o)
    {
        if (orderShares[o] <= 100)
        {
            deleteOrder(o);
            return;
        }
        final long cancelled = 100L * (1 + random.nextInt((int)(orderShares[o] / 100) - 1));
        final int m = begin(ItchMessages.ORDER_CANCEL, orderLocate[o]);
        packet.putLong(m + 11, orderRef[o], BE);
        packet.putInt(m + 19, (int)cancelled, BE);
        orderShares[o] -= cancelled;
    }

    private void executeOrder(final int o, final boolean withPrice)
    {
        final long executed = Math.min(orderShares[o], 100L * (1 + random.nextInt(3)));
        final int m = begin(withPrice ? ItchMessages.ORDER_EXECUTED_WITH_PRICE : ItchMessages.ORDER_EXECUTED,
            orderLocate[o]);
        packet.putLong(m + 11, orderRef[o], BE);
        packet.putInt(m + 19, (int)executed, BE);
        packet.putLong(m + 23, nextMatch++, BE);
        if (withPrice)
        {
            packet.putByte(m + 31, (byte)'Y');
            final long improvement = 'B' == orderSide[o] ? -TICK : TICK;
            packet.putInt(m + 32, (int)Math.max(TICK, orderPrice[o] + improvement), BE);
        }
        orderShares[o] -= executed;
        if (0 == orderShares[o])
        {
            removeOrder(o);
        }
    }

    private void replaceOrder(final int o)
    {
        final int s = orderLocate[o] - 1;
        final boolean buy = 'B' == orderSide[o];
        final long price = buy ? mid[s] - TICK * (1 + random.nextInt(5)) : mid[s] + TICK * (1 + random.nextInt(5));
        final long shares = 100L * (1 + random.nextInt(10));
        final long newRef = nextOrderRef++;
        final int m = begin(ItchMessages.ORDER_REPLACE, orderLocate[o]);
        packet.putLong(m + 11, orderRef[o], BE);
        packet.putLong(m + 19, newRef, BE);
        packet.putInt(m + 27, (int)shares, BE);
        packet.putInt(m + 31, (int)price, BE);
        orderRef[o] = newRef;
        orderPrice[o] = price;
        orderShares[o] = shares;
    }

    private void trade(final int s)
    {
        final int m = begin(ItchMessages.TRADE, s + 1);
        packet.putLong(m + 11, 0, BE);
        packet.putByte(m + 19, (byte)'B');
        packet.putInt(m + 20, 100 * (1 + random.nextInt(5)), BE);
        packet.putBytes(m + 24, symbols[s]);
        packet.putInt(m + 32, (int)mid[s], BE);
        packet.putLong(m + 36, nextMatch++, BE);
    }

    /**
     * The mid moved because aggressive flow took the levels in its way: resting orders of this symbol left at or
     * through the new mid are executed in full, so the simulated book is never crossed or locked.
     */
    private void sweep(final int s)
    {
        // Only this symbol's orders are looked at (its list), and the ones swept go in descending slot order, as a
        // scan of every slot from the top would take them: the output does not depend on how they are found.
        final long m = mid[s];
        int swept = 0;
        for (int o = symbolHead[s]; -1 != o; o = orderNext[o])
        {
            if ('B' == orderSide[o] ? orderPrice[o] >= m : orderPrice[o] <= m)
            {
                int i = swept++;
                while (i > 0 && sweepScratch[i - 1] < o)
                {
                    sweepScratch[i] = sweepScratch[i - 1];
                    i--;
                }
                sweepScratch[i] = o;
            }
        }
        for (int i = 0; i < swept; i++)
        {
            final int o = sweepScratch[i];
            final int msg = begin(ItchMessages.ORDER_EXECUTED, orderLocate[o]);
            packet.putLong(msg + 11, orderRef[o], BE);
            packet.putInt(msg + 19, (int)orderShares[o], BE);
            packet.putLong(msg + 23, nextMatch++, BE);
            removeOrder(o);
        }
    }

    /** Free slot {@code o}: unlink it from its symbol, and move the last live order into it. */
    private void removeOrder(final int o)
    {
        unlink(o);
        final int last = --live;
        if (last == o)
        {
            return;
        }
        orderRef[o] = orderRef[last];
        orderLocate[o] = orderLocate[last];
        orderSide[o] = orderSide[last];
        orderPrice[o] = orderPrice[last];
        orderShares[o] = orderShares[last];
        final int prev = orderPrev[last];
        final int next = orderNext[last];
        orderPrev[o] = prev;
        orderNext[o] = next;
        if (-1 == prev)
        {
            symbolHead[orderLocate[o] - 1] = o;
        }
        else
        {
            orderNext[prev] = o;
        }
        if (-1 != next)
        {
            orderPrev[next] = o;
        }
    }

    private void unlink(final int o)
    {
        symbolLive[orderLocate[o] - 1]--;
        final int prev = orderPrev[o];
        final int next = orderNext[o];
        if (-1 == prev)
        {
            symbolHead[orderLocate[o] - 1] = next;
        }
        else
        {
            orderNext[prev] = next;
        }
        if (-1 != next)
        {
            orderPrev[next] = prev;
        }
    }

    private void systemEvent(final byte code)
    {
        final int m = begin(ItchMessages.SYSTEM_EVENT, 0);
        packet.putByte(m + 11, code);
    }

    private void stockDirectory(final int s)
    {
        final int m = begin(ItchMessages.STOCK_DIRECTORY, s + 1);
        packet.putBytes(m + 11, symbols[s]);
        packet.putByte(m + 19, (byte)'Q');
        packet.putByte(m + 20, (byte)'N');
        packet.putInt(m + 21, 100, BE);
        packet.putByte(m + 25, (byte)'N');
        packet.putByte(m + 26, (byte)'C');
        packet.putByte(m + 27, (byte)'Z');
        packet.putByte(m + 28, (byte)' ');
        packet.putByte(m + 29, (byte)'P');
        packet.putByte(m + 30, (byte)'N');
        packet.putByte(m + 31, (byte)'N');
        packet.putByte(m + 32, (byte)'1');
        packet.putByte(m + 33, (byte)'N');
        packet.putInt(m + 34, 0, BE);
        packet.putByte(m + 38, (byte)'N');
    }

    private void tradingAction(final int s)
    {
        final int m = begin(ItchMessages.STOCK_TRADING_ACTION, s + 1);
        packet.putBytes(m + 11, symbols[s]);
        packet.putByte(m + 19, (byte)'T');
        packet.putByte(m + 20, (byte)' ');
        packet.putInt(m + 21, 0x20202020, BE);
    }

    /**
     * Start a message in the current packet (the writer sends the packet first when full) and write its common
     * header.
     */
    private int begin(final byte type, final int locate)
    {
        final int m = writer.begin(ItchMessages.lengthOf(type));
        packet.putByte(m, type);
        packet.putShort(m + 1, (short)locate, BE);
        packet.putShort(m + 3, (short)0, BE);
        final long ts = null == day ? epochClock.nanoTime() - midnightEpochNs : dayTimeNs;
        packet.putShort(m + 5, (short)(ts >>> 32), BE);
        packet.putInt(m + 7, (int)ts, BE);
        messages++;
        typeCounts[type & 0xFF]++;
        return m;
    }

    private static byte[] padded(final String text)
    {
        return MoldUdp64PacketWriter.spacePadded(text, ItchMessages.STOCK_LENGTH);
    }

    /**
     * The shape of the generated flow.
     */
    public enum Profile
    {
        /** Every symbol equally active, ITCH times from the epoch clock as the messages are made (live sending). */
        FLAT,
        /**
         * A trading day ({@link TradingDayProfile}): heavy-tailed symbol activity, times spread over 09:30-16:00
         * with the open and close heavy whatever the rate, system events at 04:00, 09:30, 16:00 and 20:00, and an
         * opening and a closing cross for every symbol. Meant for day files.
         */
        DAY
    }

    /**
     * Configuration of an {@link ItchSimulator}.
     */
    public static final class Context
    {
        /** Property: number of symbols. */
        public static final String SYMBOLS_PROP_NAME = "tickbus.sim.symbols";
        /** Property: messages per second, 0 for as fast as possible. */
        public static final String RATE_PROP_NAME = "tickbus.sim.rate";
        /** Property: order-flow messages after the stock directory. */
        public static final String COUNT_PROP_NAME = "tickbus.sim.count";
        /** Property: random seed. */
        public static final String SEED_PROP_NAME = "tickbus.sim.seed";
        /** Default symbols. */
        public static final int SYMBOLS_DEFAULT = 8;
        /** Default rate. */
        public static final long RATE_DEFAULT = 10_000;
        /** Default count. */
        public static final long COUNT_DEFAULT = 100_000;
        /** Default seed. */
        public static final long SEED_DEFAULT = 42;
        /** Default MoldUDP64 session name. */
        public static final String SESSION_DEFAULT = "TICKBUSSIM";
        /** Default largest packet (UDP payload bytes). */
        public static final int MAX_PACKET_BYTES_DEFAULT = 1400;

        private int symbols = Integer.getInteger(SYMBOLS_PROP_NAME, SYMBOLS_DEFAULT);
        private long rate = Long.getLong(RATE_PROP_NAME, RATE_DEFAULT);
        private long count = Long.getLong(COUNT_PROP_NAME, COUNT_DEFAULT);
        private long seed = Long.getLong(SEED_PROP_NAME, SEED_DEFAULT);
        private String session = SESSION_DEFAULT;
        private int maxPacketBytes = MAX_PACKET_BYTES_DEFAULT;
        private int maxMessagesPerCycle = 1024;
        private int maxLiveOrders = 100_000;
        private Profile profile = Profile.FLAT;
        private double symbolExponent = TradingDayProfile.EXPONENT_DEFAULT;
        private LocalDate tradingDate;
        private PacketOutput output;
        private NanoClock nanoClock;
        private EpochNanoClock epochClock;
        private boolean concluded;

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
            if (symbols < 1 || symbols > 65535)
            {
                throw new IllegalArgumentException("symbols must be 1..65535: " + symbols);
            }
            if (rate < 0)
            {
                throw new IllegalArgumentException("rate must be >= 0: " + rate);
            }
            if (count < 0)
            {
                throw new IllegalArgumentException("count must be >= 0: " + count);
            }
            if (null == profile)
            {
                throw new IllegalArgumentException("profile is required (FLAT or DAY)");
            }
            if (!(symbolExponent >= 0) || symbolExponent > 5)
            {
                throw new IllegalArgumentException("symbol exponent must be 0..5: " + symbolExponent);
            }
            if (maxLiveOrders < 16)
            {
                throw new IllegalArgumentException("max live orders must be >= 16: " + maxLiveOrders);
            }
            if (maxPacketBytes < 128 || maxPacketBytes > 65507)
            {
                throw new IllegalArgumentException("max packet bytes must be 128..65507: " + maxPacketBytes);
            }
            if (session.length() > MoldUdp64Decoder.SESSION_LENGTH)
            {
                throw new IllegalArgumentException("session name longer than 10 characters: " + session);
            }
            if (null == output)
            {
                throw new IllegalArgumentException("output is required (PacketOutput.udp(...) or file(...))");
            }
            if (null == tradingDate)
            {
                tradingDate = LocalDate.now(ItchTime.NEW_YORK);
            }
            if (null == nanoClock)
            {
                nanoClock = new SystemNanoClock();
            }
            if (null == epochClock)
            {
                epochClock = ProcessEpochClock.get();
            }
            concluded = true;
            return this;
        }

        /**
         * @param symbols number of symbols (stock locates 1..N).
         * @return this.
         */
        public Context symbols(final int symbols)
        {
            this.symbols = symbols;
            return this;
        }

        /** @return number of symbols. */
        public int symbols()
        {
            return symbols;
        }

        /**
         * @param rate messages per second, 0 for as fast as possible.
         * @return this.
         */
        public Context rate(final long rate)
        {
            this.rate = rate;
            return this;
        }

        /** @return messages per second. */
        public long rate()
        {
            return rate;
        }

        /**
         * @param count order-flow messages after the directory.
         * @return this.
         */
        public Context count(final long count)
        {
            this.count = count;
            return this;
        }

        /** @return order-flow messages. */
        public long count()
        {
            return count;
        }

        /**
         * @param seed random seed.
         * @return this.
         */
        public Context seed(final long seed)
        {
            this.seed = seed;
            return this;
        }

        /** @return random seed. */
        public long seed()
        {
            return seed;
        }

        /**
         * @param session MoldUDP64 session name, up to 10 characters.
         * @return this.
         */
        public Context session(final String session)
        {
            this.session = session;
            return this;
        }

        /** @return session name. */
        public String session()
        {
            return session;
        }

        /**
         * @param maxPacketBytes largest packet.
         * @return this.
         */
        public Context maxPacketBytes(final int maxPacketBytes)
        {
            this.maxPacketBytes = maxPacketBytes;
            return this;
        }

        /** @return largest packet. */
        public int maxPacketBytes()
        {
            return maxPacketBytes;
        }

        /**
         * @param maxMessagesPerCycle messages generated per duty cycle at most.
         * @return this.
         */
        public Context maxMessagesPerCycle(final int maxMessagesPerCycle)
        {
            this.maxMessagesPerCycle = maxMessagesPerCycle;
            return this;
        }

        /** @return messages per duty cycle at most. */
        public int maxMessagesPerCycle()
        {
            return maxMessagesPerCycle;
        }

        /**
         * @param profile {@link Profile#FLAT} (every symbol alike, wall-clock times) or {@link Profile#DAY}.
         * @return this.
         */
        public Context profile(final Profile profile)
        {
            this.profile = profile;
            return this;
        }

        /** @return the shape of the generated flow. */
        public Profile profile()
        {
            return profile;
        }

        /**
         * @param symbolExponent Zipf exponent of symbol activity in the {@link Profile#DAY} profile (default 1).
         * @return this.
         */
        public Context symbolExponent(final double symbolExponent)
        {
            this.symbolExponent = symbolExponent;
            return this;
        }

        /** @return Zipf exponent of symbol activity. */
        public double symbolExponent()
        {
            return symbolExponent;
        }

        /**
         * @param maxLiveOrders size of the live order pool.
         * @return this.
         */
        public Context maxLiveOrders(final int maxLiveOrders)
        {
            this.maxLiveOrders = maxLiveOrders;
            return this;
        }

        /** @return size of the live order pool. */
        public int maxLiveOrders()
        {
            return maxLiveOrders;
        }

        /**
         * @param tradingDate date whose midnight (New York) the ITCH timestamps count from; default today.
         * @return this.
         */
        public Context tradingDate(final LocalDate tradingDate)
        {
            this.tradingDate = tradingDate;
            return this;
        }

        /** @return trading date. */
        public LocalDate tradingDate()
        {
            return tradingDate;
        }

        /**
         * @param output where packets go.
         * @return this.
         */
        public Context output(final PacketOutput output)
        {
            this.output = output;
            return this;
        }

        /** @return where packets go. */
        public PacketOutput output()
        {
            return output;
        }

        /**
         * @param clock monotonic clock for the rate.
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
         * @param clock epoch clock for ITCH timestamps.
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
    }
}
