package io.tickbus.perf;

import io.tickbus.client.MessageDispatcher;
import io.tickbus.client.book.BookSide;
import io.tickbus.client.book.OrderBook;
import io.tickbus.client.book.OrderBooks;
import io.tickbus.sbe.AddOrderEncoder;
import io.tickbus.sbe.CancelOrderEncoder;
import io.tickbus.sbe.CancelType;
import io.tickbus.sbe.ExecuteOrderEncoder;
import io.tickbus.sbe.LevelAction;
import io.tickbus.sbe.MessageHeaderEncoder;
import io.tickbus.sbe.ModifyOrderEncoder;
import io.tickbus.sbe.PriceLevelUpdateEncoder;
import io.tickbus.sbe.Side;
import io.tickbus.sbe.Venue;
import org.agrona.ExpandableDirectByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Cost of one order book update through the subscriber path (SBE decode, dispatch, book builder): a seeded
 * market-by-order flow (adds, replaces, executions, partial cancels, deletes around a resting book of a few hundred
 * orders) and a market-by-price flow, each replayed in a loop; the flows end where they started so the steady state
 * holds for the whole run. Run with {@code -prof gc}: every benchmark must show about 0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Thread)
public class OrderBookBenchmark
{
    private static final int INSTRUMENT = 1;
    private static final int EVENTS = 100_000;

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final AddOrderEncoder add = new AddOrderEncoder();
    private final ModifyOrderEncoder modify = new ModifyOrderEncoder();
    private final CancelOrderEncoder cancel = new CancelOrderEncoder();
    private final ExecuteOrderEncoder execute = new ExecuteOrderEncoder();
    private final PriceLevelUpdateEncoder level = new PriceLevelUpdateEncoder();

    private final Flow mboFlow = new Flow();
    private final Flow mbpFlow = new Flow();
    private OrderBooks mboBooks;
    private OrderBooks mbpBooks;
    private MessageDispatcher mboDispatcher;
    private MessageDispatcher mbpDispatcher;
    private OrderBook mboBook;
    private int mboIndex;
    private int mbpIndex;

    /** Encoded messages back to back, with their offsets and lengths. */
    static final class Flow
    {
        final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(1 << 20);
        int[] offsets = new int[EVENTS * 2];
        int[] lengths = new int[EVENTS * 2];
        int count;
        int limit;

        void added(final int length)
        {
            offsets[count] = limit;
            lengths[count] = length;
            count++;
            limit += (length + 7) & ~7;
        }
    }

    /** Encode the flows and warm the books through one full pass. */
    @Setup
    public void setup()
    {
        encodeMarketByOrder(new Random(42));
        encodeMarketByPrice(new Random(43));
        mboBooks = new OrderBooks(new OrderBooks.Context().ordersPerBook(4096));
        mbpBooks = new OrderBooks();
        mboDispatcher = new MessageDispatcher(mboBooks);
        mbpDispatcher = new MessageDispatcher(mbpBooks);
        for (int i = 0; i < mboFlow.count; i++)
        {
            mboDispatcher.dispatch(mboFlow.buffer, mboFlow.offsets[i], mboFlow.lengths[i], 0);
        }
        for (int i = 0; i < mbpFlow.count; i++)
        {
            mbpDispatcher.dispatch(mbpFlow.buffer, mbpFlow.offsets[i], mbpFlow.lengths[i], 0);
        }
        mboBook = mboBooks.book(1, INSTRUMENT);
        if (0 != mboBook.orderCount() || 0 != mboBook.unknownOrderCount())
        {
            throw new IllegalStateException("flow must end empty with no unknown orders: " + mboBook.orderCount() +
                " orders, " + mboBook.unknownOrderCount() + " unknown");
        }
    }

    /**
     * One market-by-order message (add, replace, execute, cancel or delete) decoded and applied.
     *
     * @return best bid, so the work is not eliminated.
     */
    @Benchmark
    public long marketByOrderUpdate()
    {
        final int i = mboIndex;
        mboDispatcher.dispatch(mboFlow.buffer, mboFlow.offsets[i], mboFlow.lengths[i], 0);
        mboIndex = i + 1 == mboFlow.count ? 0 : i + 1;
        return mboBook.bestBidPrice();
    }

    /**
     * One market-by-price level update (new, change or delete) decoded and applied.
     *
     * @return depth of the bid side, so the work is not eliminated.
     */
    @Benchmark
    public int marketByPriceUpdate()
    {
        final int i = mbpIndex;
        mbpDispatcher.dispatch(mbpFlow.buffer, mbpFlow.offsets[i], mbpFlow.lengths[i], 0);
        mbpIndex = i + 1 == mbpFlow.count ? 0 : i + 1;
        return mbpBooks.book(1, INSTRUMENT).bids().depth();
    }

    /**
     * Read the top five levels of both sides of the market-by-order book.
     *
     * @return a sum of prices and quantities.
     */
    @Benchmark
    public long readDepthFive()
    {
        final BookSide bids = mboBook.bids();
        final BookSide asks = mboBook.asks();
        long sum = 0;
        for (int i = 0; i < 5; i++)
        {
            sum += bids.priceAt(i) + bids.quantityAt(i) + asks.priceAt(i) + asks.quantityAt(i);
        }
        return sum;
    }

    private void encodeMarketByOrder(final Random random)
    {
        final List<long[]> live = new ArrayList<>();   // {orderId, side (0 buy), price, quantity}
        long nextId = 1;
        final long mid = 100_0000;
        for (int i = 0; i < EVENTS; i++)
        {
            final int op = random.nextInt(100);
            if (live.size() < 200 || op < 40)
            {
                final int side = random.nextInt(2);
                final long price = mid + (side == 0 ? -1 : 1) * 100L * (1 + random.nextInt(20));
                final long[] order = {nextId++, side, price, 100 * (1 + random.nextInt(10))};
                encodeAdd(order);
                live.add(order);
            }
            else
            {
                final int index = random.nextInt(live.size());
                final long[] order = live.get(index);
                if (op < 55)
                {
                    final long newPrice = order[2] + (order[1] == 0 ? -100 : 100) * (random.nextInt(3) - 1);
                    final long newId = nextId++;
                    encodeModify(order[0], newId, newPrice, order[3]);
                    order[0] = newId;
                    order[2] = newPrice;
                }
                else if (op < 70 && order[3] > 100)
                {
                    encodeExecute(order[0], 100);
                    order[3] -= 100;
                }
                else if (op < 80 && order[3] > 100)
                {
                    encodeCancel(order[0], 100, CancelType.PARTIAL);
                    order[3] -= 100;
                }
                else
                {
                    encodeCancel(order[0], 0, CancelType.FULL);
                    live.set(index, live.get(live.size() - 1));
                    live.remove(live.size() - 1);
                }
            }
        }
        for (final long[] order : live)
        {
            encodeCancel(order[0], 0, CancelType.FULL);
        }
    }

    private void encodeMarketByPrice(final Random random)
    {
        final long[][] quantities = new long[2][64];
        for (int i = 0; i < EVENTS; i++)
        {
            final int side = random.nextInt(2);
            final int tick = random.nextInt(64);
            final long quantity = random.nextInt(4) == 0 ? 0 : 100 * (1 + random.nextInt(50));
            final LevelAction action = 0 == quantity ? LevelAction.DELETE :
                0 == quantities[side][tick] ? LevelAction.NEW : LevelAction.CHANGE;
            if (0 == quantity && 0 == quantities[side][tick])
            {
                continue;
            }
            quantities[side][tick] = quantity;
            encodeLevel(side, tick, action, quantity);
        }
        for (int side = 0; side < 2; side++)
        {
            for (int tick = 0; tick < 64; tick++)
            {
                if (0 != quantities[side][tick])
                {
                    encodeLevel(side, tick, LevelAction.DELETE, 0);
                }
            }
        }
    }

    private void encodeLevel(final int side, final int tick, final LevelAction action, final long quantity)
    {
        level.wrapAndApplyHeader(mbpFlow.buffer, mbpFlow.limit, header);
        common(level.common().instrumentId(INSTRUMENT), mbpFlow.count);
        level.side(side == 0 ? Side.BUY : Side.SELL).action(action).level((short)0).eventFlags((short)1)
            .quantity(quantity).orderCount(-1);
        level.price().mantissa(5000 + (side == 0 ? -1 : 1) * (1 + tick)).exponent((byte)-2);
        mbpFlow.added(MessageHeaderEncoder.ENCODED_LENGTH + level.encodedLength());
    }

    private void encodeAdd(final long[] order)
    {
        add.wrapAndApplyHeader(mboFlow.buffer, mboFlow.limit, header);
        common(add.common().instrumentId(INSTRUMENT), mboFlow.count);
        add.orderId(order[0]).side(order[1] == 0 ? Side.BUY : Side.SELL).quantity(order[3]).attribution("    ");
        add.price().mantissa(order[2]).exponent((byte)-4);
        mboFlow.added(MessageHeaderEncoder.ENCODED_LENGTH + add.encodedLength());
    }

    private void encodeModify(final long orderId, final long newOrderId, final long price, final long quantity)
    {
        modify.wrapAndApplyHeader(mboFlow.buffer, mboFlow.limit, header);
        common(modify.common().instrumentId(INSTRUMENT), mboFlow.count);
        modify.orderId(orderId).newOrderId(newOrderId).side(Side.NONE).quantity(quantity);
        modify.price().mantissa(price).exponent((byte)-4);
        mboFlow.added(MessageHeaderEncoder.ENCODED_LENGTH + modify.encodedLength());
    }

    private void encodeExecute(final long orderId, final long quantity)
    {
        execute.wrapAndApplyHeader(mboFlow.buffer, mboFlow.limit, header);
        common(execute.common().instrumentId(INSTRUMENT), mboFlow.count);
        execute.orderId(orderId).executedQuantity(quantity).matchId(mboFlow.count).printable((short)1);
        execute.price().mantissa(Long.MIN_VALUE).exponent((byte)-4);
        mboFlow.added(MessageHeaderEncoder.ENCODED_LENGTH + execute.encodedLength());
    }

    private void encodeCancel(final long orderId, final long quantity, final CancelType type)
    {
        cancel.wrapAndApplyHeader(mboFlow.buffer, mboFlow.limit, header);
        common(cancel.common().instrumentId(INSTRUMENT), mboFlow.count);
        cancel.orderId(orderId).cancelledQuantity(quantity).cancelType(type);
        mboFlow.added(MessageHeaderEncoder.ENCODED_LENGTH + cancel.encodedLength());
    }

    private static void common(final io.tickbus.sbe.CommonEncoder common, final long sequence)
    {
        common.sourceSeq(sequence).exchangeTime(1_000 + sequence).receiveTime(2_000 + sequence).feedId(1)
            .venue(Venue.SIMULATOR);
    }
}
