package io.tickbus.perf;

import io.tickbus.client.MarketDataListener;
import io.tickbus.client.MessageDispatcher;
import io.tickbus.sbe.AddOrderDecoder;
import io.tickbus.sbe.AddOrderEncoder;
import io.tickbus.sbe.BookSnapshotDecoder;
import io.tickbus.sbe.BookSnapshotEncoder;
import io.tickbus.sbe.CancelOrderEncoder;
import io.tickbus.sbe.CancelType;
import io.tickbus.sbe.ExecuteOrderEncoder;
import io.tickbus.sbe.InstrumentDefinitionEncoder;
import io.tickbus.sbe.MessageHeaderDecoder;
import io.tickbus.sbe.MessageHeaderEncoder;
import io.tickbus.sbe.ModifyOrderEncoder;
import io.tickbus.sbe.PriceLevelUpdateEncoder;
import io.tickbus.sbe.LevelAction;
import io.tickbus.sbe.SecurityType;
import io.tickbus.sbe.Side;
import io.tickbus.sbe.TopOfBookEncoder;
import io.tickbus.sbe.TradeDecoder;
import io.tickbus.sbe.TradeEncoder;
import io.tickbus.sbe.TradeType;
import io.tickbus.sbe.Venue;
import org.agrona.concurrent.UnsafeBuffer;
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
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Encode and decode cost of each Tickbus message type, and of the subscriber's dispatch. Run with
 * {@code -prof gc}: every benchmark must show 0 B/op (flyweights over a preallocated buffer).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"})
@State(Scope.Thread)
public class CodecBenchmark
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final UnsafeBuffer tradeMessage = new UnsafeBuffer(ByteBuffer.allocateDirect(256));
    private final UnsafeBuffer snapshotMessage = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final InstrumentDefinitionEncoder definition = new InstrumentDefinitionEncoder();
    private final AddOrderEncoder addOrder = new AddOrderEncoder();
    private final AddOrderDecoder addOrderDecoder = new AddOrderDecoder();
    private final ModifyOrderEncoder modifyOrder = new ModifyOrderEncoder();
    private final CancelOrderEncoder cancelOrder = new CancelOrderEncoder();
    private final ExecuteOrderEncoder executeOrder = new ExecuteOrderEncoder();
    private final PriceLevelUpdateEncoder priceLevel = new PriceLevelUpdateEncoder();
    private final TradeEncoder trade = new TradeEncoder();
    private final TradeDecoder tradeDecoder = new TradeDecoder();
    private final TopOfBookEncoder topOfBook = new TopOfBookEncoder();
    private final BookSnapshotEncoder snapshot = new BookSnapshotEncoder();
    private final BookSnapshotDecoder snapshotDecoder = new BookSnapshotDecoder();
    private int tradeLength;
    private int snapshotLength;
    private long seq;
    private Blackhole sink;
    private MessageDispatcher dispatcher;

    /**
     * Encode the messages the decode benchmarks read.
     *
     * @param blackhole JMH's sink, captured once for the dispatcher's listener.
     */
    @Setup
    public void setUp(final Blackhole blackhole)
    {
        sink = blackhole;
        trade.wrapAndApplyHeader(tradeMessage, 0, headerEncoder);
        trade.common().sourceSeq(1).instrumentId(5).feedId(1).venue(Venue.NASDAQ).exchangeTime(1).receiveTime(2);
        trade.tradeId(3).quantity(100).aggressorSide(Side.BUY).tradeType(TradeType.REGULAR);
        trade.price().mantissa(1_234_500).exponent((byte)-4);
        tradeLength = MessageHeaderEncoder.ENCODED_LENGTH + trade.encodedLength();

        snapshot.wrapAndApplyHeader(snapshotMessage, 0, headerEncoder);
        snapshot.common().instrumentId(5);
        final BookSnapshotEncoder.LevelsEncoder levels = snapshot.lastSourceSeq(1).priceExponent((byte)-4)
            .levelsCount(20);
        for (int i = 0; i < 20; i++)
        {
            levels.next().side(i < 10 ? Side.BUY : Side.SELL).price(1_000_000 + i).quantity(100 + i).orderCount(i);
        }
        snapshotLength = MessageHeaderEncoder.ENCODED_LENGTH + snapshot.encodedLength();

        dispatcher = new MessageDispatcher(new MarketDataListener()
        {
            public void onTrade(final TradeDecoder msg)
            {
                sink.consume(msg.price().mantissa());
            }
        });
    }

    /** @return encoded length. */
    @Benchmark
    public int encodeInstrumentDefinition()
    {
        definition.wrapAndApplyHeader(buffer, 0, headerEncoder);
        definition.common().sourceSeq(++seq).instrumentId(5).feedId(1).venue(Venue.NASDAQ).exchangeTime(seq);
        definition.putSymbol(SYMBOL, 0).securityType(SecurityType.EQUITY).priceExponent((byte)-4).lotSize(100)
            .tickSize(100).tradingDate(20230822);
        return definition.encodedLength();
    }

    private static final byte[] SYMBOL = {'A', 'A', 'P', 'L', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' '};

    /** @return encoded length. */
    @Benchmark
    public int encodeAddOrder()
    {
        addOrder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        addOrder.common().sourceSeq(++seq).instrumentId(5).feedId(1).venue(Venue.NASDAQ).exchangeTime(seq)
            .receiveTime(seq);
        addOrder.orderId(seq).side(Side.BUY).quantity(100);
        addOrder.price().mantissa(1_234_500).exponent((byte)-4);
        return addOrder.encodedLength();
    }

    /** @return encoded length. */
    @Benchmark
    public int encodeModifyOrder()
    {
        modifyOrder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        modifyOrder.common().sourceSeq(++seq).instrumentId(5).feedId(1).exchangeTime(seq);
        modifyOrder.orderId(seq).newOrderId(seq + 1).side(Side.SELL).quantity(200);
        modifyOrder.price().mantissa(1_234_600).exponent((byte)-4);
        return modifyOrder.encodedLength();
    }

    /** @return encoded length. */
    @Benchmark
    public int encodeCancelOrder()
    {
        cancelOrder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        cancelOrder.common().sourceSeq(++seq).instrumentId(5).feedId(1).exchangeTime(seq);
        cancelOrder.orderId(seq).cancelledQuantity(50).cancelType(CancelType.PARTIAL);
        return cancelOrder.encodedLength();
    }

    /** @return encoded length. */
    @Benchmark
    public int encodeExecuteOrder()
    {
        executeOrder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        executeOrder.common().sourceSeq(++seq).instrumentId(5).feedId(1).exchangeTime(seq);
        executeOrder.orderId(seq).executedQuantity(10).matchId(seq).printable((short)1);
        executeOrder.price().mantissa(Long.MIN_VALUE).exponent((byte)-4);
        return executeOrder.encodedLength();
    }

    /** @return encoded length. */
    @Benchmark
    public int encodePriceLevelUpdate()
    {
        priceLevel.wrapAndApplyHeader(buffer, 0, headerEncoder);
        priceLevel.common().sourceSeq(++seq).instrumentId(5).feedId(1).exchangeTime(seq);
        priceLevel.side(Side.BUY).action(LevelAction.CHANGE).level((short)1).eventFlags((short)1).quantity(300)
            .orderCount(-1);
        priceLevel.price().mantissa(1_234_500).exponent((byte)-4);
        return priceLevel.encodedLength();
    }

    /** @return encoded length. */
    @Benchmark
    public int encodeTrade()
    {
        trade.wrapAndApplyHeader(buffer, 0, headerEncoder);
        trade.common().sourceSeq(++seq).instrumentId(5).feedId(1).exchangeTime(seq).receiveTime(seq);
        trade.tradeId(seq).quantity(100).aggressorSide(Side.BUY).tradeType(TradeType.REGULAR).cumulativeVolume(seq);
        trade.price().mantissa(1_234_500).exponent((byte)-4);
        return trade.encodedLength();
    }

    /** @return encoded length. */
    @Benchmark
    public int encodeTopOfBook()
    {
        topOfBook.wrapAndApplyHeader(buffer, 0, headerEncoder);
        topOfBook.common().sourceSeq(++seq).instrumentId(5).feedId(1).exchangeTime(seq);
        topOfBook.bidPrice().mantissa(1_234_500).exponent((byte)-4);
        topOfBook.askPrice().mantissa(1_234_600).exponent((byte)-4);
        topOfBook.bidQuantity(100).askQuantity(200);
        return topOfBook.encodedLength();
    }

    /** @return encoded length of a 20-level snapshot. */
    @Benchmark
    public int encodeBookSnapshot20()
    {
        snapshot.wrapAndApplyHeader(buffer, 0, headerEncoder);
        snapshot.common().sourceSeq(++seq).instrumentId(5).feedId(1).exchangeTime(seq);
        final BookSnapshotEncoder.LevelsEncoder levels = snapshot.lastSourceSeq(seq).priceExponent((byte)-4)
            .levelsCount(20);
        for (int i = 0; i < 20; i++)
        {
            levels.next().side(i < 10 ? Side.BUY : Side.SELL).price(1_000_000 + i).quantity(100 + i).orderCount(i);
        }
        return snapshot.encodedLength();
    }

    /** @return a decoded field, so the decode cannot be elided. */
    @Benchmark
    public long decodeTrade()
    {
        headerDecoder.wrap(tradeMessage, 0);
        tradeDecoder.wrap(tradeMessage, MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
            headerDecoder.version());
        return tradeDecoder.price().mantissa() + tradeDecoder.quantity() + tradeDecoder.common().sourceSeq() +
            tradeDecoder.common().instrumentId();
    }

    /** @return a decoded field. */
    @Benchmark
    public long decodeAddOrderFromTradeLayout()
    {
        headerDecoder.wrap(tradeMessage, 0);
        addOrderDecoder.wrap(tradeMessage, MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
            headerDecoder.version());
        return addOrderDecoder.common().exchangeTime();
    }

    /** @return sum over all levels. */
    @Benchmark
    public long decodeBookSnapshot20()
    {
        headerDecoder.wrap(snapshotMessage, 0);
        snapshotDecoder.wrap(snapshotMessage, MessageHeaderDecoder.ENCODED_LENGTH, headerDecoder.blockLength(),
            headerDecoder.version());
        long sum = 0;
        for (final BookSnapshotDecoder.LevelsDecoder level : snapshotDecoder.levels())
        {
            sum += level.price() + level.quantity();
        }
        return sum + snapshotLength;
    }

    /** @return whether dispatched: the whole subscriber-side decode path without the transport. */
    @Benchmark
    public boolean dispatchTrade()
    {
        return dispatcher.dispatch(tradeMessage, 0, tradeLength, 0);
    }
}
