package io.tickbus.feed.itch;

import io.tickbus.feed.DecoderContext;
import io.tickbus.feed.DerivedSequence;
import io.tickbus.feed.FeedStats;
import io.tickbus.feed.InstrumentIds;
import io.tickbus.feed.MessageEncoders;
import io.tickbus.sbe.AddOrderEncoder;
import io.tickbus.sbe.CancelType;
import io.tickbus.sbe.EndOfSessionEncoder;
import io.tickbus.sbe.ExecuteOrderEncoder;
import io.tickbus.sbe.InstrumentDefinitionEncoder;
import io.tickbus.sbe.LevelAction;
import io.tickbus.sbe.MarketStatisticEncoder;
import io.tickbus.sbe.ModifyOrderEncoder;
import io.tickbus.sbe.SecurityType;
import io.tickbus.sbe.StatType;
import io.tickbus.sbe.Side;
import io.tickbus.sbe.TradeEncoder;
import io.tickbus.sbe.TradeType;
import io.tickbus.sbe.TradingState;
import io.tickbus.sbe.TradingStatusEncoder;
import io.tickbus.sbe.Venue;
import org.agrona.DirectBuffer;

import static io.tickbus.feed.itch.ItchMessages.*;

/**
 * Decodes one TotalView-ITCH 5.0 message, checks it against the specification, counts it, and publishes its
 * normalized Tickbus message(s) (see docs/feed-handlers.md for the mapping of every type).
 * <p>
 * A message whose length differs from the specification's length for its type, whose type is unknown, or whose
 * side / code fields hold values the specification does not allow, is reported as malformed and nothing of it is
 * published. The stock locate is the instrument id; an {@code InstrumentDefinition} is published for a locate
 * before the first message that uses it (from the Stock Directory when seen, else from the symbol in the message,
 * or blank until one is seen).
 * <p>
 * Threading: one thread. Allocation: none per message in steady state (a String per new symbol).
 */
public final class ItchNormalizer
{
    /** Price(4) has 4 implied decimals. */
    public static final byte PRICE4_EXPONENT = -4;
    /** Price(8) has 8 implied decimals. */
    public static final byte PRICE8_EXPONENT = -8;
    /** Tick size published in definitions: one cent at exponent -4 (NASDAQ's increment for prices of $1 and up). */
    public static final long TICK_SIZE = 100;

    private static final byte[] BLANK_ATTRIBUTION = {' ', ' ', ' ', ' '};

    private final MessageEncoders encoders;
    private final DerivedSequence sequence = new DerivedSequence();
    private final FeedStats stats;
    private final InstrumentIds ids = new InstrumentIds();
    private final int tradingDate;
    private final long midnightEpochNs;
    private long messagesInSession;

    /**
     * @param ctx sink, stats, feed id and trading date (concluded here).
     */
    public ItchNormalizer(final DecoderContext ctx)
    {
        ctx.conclude();
        this.stats = ctx.stats();
        this.encoders = new MessageEncoders(ctx.sink(), ctx.stats(), ctx.feedId(), Venue.NASDAQ);
        this.tradingDate = ItchTime.yyyymmdd(ctx.tradingDate());
        this.midnightEpochNs = ItchTime.midnightEpochNs(ctx.tradingDate());
    }

    /**
     * @return the source sequences of published messages: {@code moldSeq << 16 | n}, shared with the gap notices
     * the MoldUDP64 decoder publishes.
     */
    public DerivedSequence sequence()
    {
        return sequence;
    }

    /**
     * @return the encoders this normalizer publishes with.
     */
    public MessageEncoders encoders()
    {
        return encoders;
    }

    /** @return the instrument ids seen so far. */
    public InstrumentIds instrumentIds()
    {
        return ids;
    }

    /** @return epoch ns of midnight (New York) of the trading date. */
    public long midnightEpochNs()
    {
        return midnightEpochNs;
    }

    /**
     * Decode, count and publish one message.
     *
     * @param buffer holding the message.
     * @param offset of its type byte.
     * @param length as framed.
     * @param sourceSeq venue sequence number of the message (MoldUDP64), or its record number in a file.
     * @param receiveTimeNs receive time, epoch ns.
     * @param packetNumber for error reports.
     * @param fileOffset for error reports, -1 when live.
     * @return true when decoded, false when malformed (counted, nothing published).
     */
    public boolean onMessage(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long sourceSeq,
        final long receiveTimeNs,
        final long packetNumber,
        final long fileOffset)
    {
        if (length < 1)
        {
            stats.onMalformed("empty ITCH message", packetNumber, fileOffset);
            return false;
        }
        final byte type = buffer.getByte(offset);
        final int expected = lengthOf(type);
        if (0 == expected)
        {
            stats.onMalformed(String.format("unknown ITCH message type 0x%02x", type & 0xFF), packetNumber, fileOffset);
            return false;
        }
        if (length != expected)
        {
            stats.onMalformed("ITCH message type " + (char)type + " has length " + length + ", specification " +
                expected, packetNumber, fileOffset);
            return false;
        }
        if (!fieldsValid(buffer, offset, type))
        {
            stats.onMalformed("ITCH message type " + (char)type + " with invalid field value", packetNumber, fileOffset);
            return false;
        }

        sequence.begin(sourceSeq);
        final long exchangeTimeNs = midnightEpochNs + timestamp(buffer, offset);
        final int locate = stockLocate(buffer, offset);
        stats.onMessage(typeCode(type), exchangeTimeNs);
        messagesInSession++;

        if (STOCK_DIRECTORY == type)
        {
            onStockDirectory(buffer, offset, locate, sourceSeq, exchangeTimeNs, receiveTimeNs);
            return true;
        }
        final int stockOffset = stockOffset(type);
        if (0 != locate)
        {
            ensureDefined(buffer, offset, stockOffset, locate, sourceSeq, exchangeTimeNs, receiveTimeNs);
        }

        switch (type)
        {
            case SYSTEM_EVENT:
                onSystemEvent(buffer, offset, sourceSeq, exchangeTimeNs, receiveTimeNs);
                break;

            case STOCK_TRADING_ACTION:
            {
                final byte state = buffer.getByte(offset + 19);
                final TradingStatusEncoder e = encoders.tradingStatus(locate, sequence.next(), exchangeTimeNs, receiveTimeNs)
                    .state(tradingActionState(state))
                    .venueCode(state);
                e.buffer().putBytes(e.offset() + TradingStatusEncoder.reasonEncodingOffset(), buffer, offset + 21, 4);
                encoders.publish(e);
                break;
            }

            case OPERATIONAL_HALT:
            {
                final byte action = buffer.getByte(offset + 20);
                final TradingStatusEncoder e = encoders.tradingStatus(locate, sequence.next(), exchangeTimeNs, receiveTimeNs)
                    .state('H' == action ? TradingState.HALTED : TradingState.TRADING)
                    .venueCode(action)
                    .reason(0, (byte)'O').reason(1, (byte)'H').reason(2, (byte)' ')
                    .reason(3, buffer.getByte(offset + 19));
                encoders.publish(e);
                break;
            }

            case MWCB_STATUS:
            {
                final TradingStatusEncoder e = encoders.tradingStatus(0, sequence.next(), exchangeTimeNs, receiveTimeNs)
                    .state('3' == buffer.getByte(offset + 11) ? TradingState.CLOSED : TradingState.HALTED)
                    .venueCode(buffer.getByte(offset + 11))
                    .reason(0, (byte)'M').reason(1, (byte)'W').reason(2, (byte)'C').reason(3, (byte)'B');
                encoders.publish(e);
                break;
            }

            case ADD_ORDER:
            case ADD_ORDER_MPID:
            {
                final AddOrderEncoder e = encoders.addOrder(locate, sequence.next(), exchangeTimeNs, receiveTimeNs)
                    .orderId(int64(buffer, offset + 11))
                    .side(side(buffer.getByte(offset + 19)))
                    .quantity(uint32(buffer, offset + 20));
                e.price().mantissa(uint32(buffer, offset + 32)).exponent(PRICE4_EXPONENT);
                if (ADD_ORDER_MPID == type)
                {
                    e.buffer().putBytes(e.offset() + AddOrderEncoder.attributionEncodingOffset(), buffer, offset + 36, 4);
                }
                else
                {
                    e.putAttribution(BLANK_ATTRIBUTION, 0);
                }
                encoders.publish(e);
                break;
            }

            case ORDER_EXECUTED:
                publishExecution(buffer, offset, locate, exchangeTimeNs, receiveTimeNs, (short)1, Long.MIN_VALUE);
                break;

            case ORDER_EXECUTED_WITH_PRICE:
                publishExecution(buffer, offset, locate, exchangeTimeNs, receiveTimeNs,
                    (short)('Y' == buffer.getByte(offset + 31) ? 1 : 0), uint32(buffer, offset + 32));
                break;

            case ORDER_CANCEL:
                publishCancel(locate, exchangeTimeNs, receiveTimeNs, int64(buffer, offset + 11),
                    uint32(buffer, offset + 19), CancelType.PARTIAL);
                break;

            case ORDER_DELETE:
                publishCancel(locate, exchangeTimeNs, receiveTimeNs, int64(buffer, offset + 11), 0, CancelType.FULL);
                break;

            case ORDER_REPLACE:
            {
                final ModifyOrderEncoder e = encoders.modifyOrder(locate, sequence.next(), exchangeTimeNs, receiveTimeNs)
                    .orderId(int64(buffer, offset + 11))
                    .newOrderId(int64(buffer, offset + 19))
                    .side(Side.NONE)
                    .quantity(uint32(buffer, offset + 27));
                e.price().mantissa(uint32(buffer, offset + 31)).exponent(PRICE4_EXPONENT);
                encoders.publish(e);
                break;
            }

            case TRADE:
                publishTrade(locate, exchangeTimeNs, receiveTimeNs, int64(buffer, offset + 36),
                    uint32(buffer, offset + 20), 'B' == buffer.getByte(offset + 19) ? Side.SELL : Side.BUY,
                    TradeType.NON_DISPLAYED, (short)0, uint32(buffer, offset + 32));
                break;

            case CROSS_TRADE:
                if (0 == int64(buffer, offset + 11))
                {
                    publishAuctionWithoutExecution(locate, exchangeTimeNs, receiveTimeNs, uint32(buffer, offset + 27),
                        buffer.getByte(offset + 39));
                }
                else
                {
                    publishTrade(locate, exchangeTimeNs, receiveTimeNs, int64(buffer, offset + 31),
                        int64(buffer, offset + 11), Side.NONE, TradeType.CROSS,
                        (short)(buffer.getByte(offset + 39) & 0xFF), uint32(buffer, offset + 27));
                }
                break;

            case BROKEN_TRADE:
                publishTrade(locate, exchangeTimeNs, receiveTimeNs, int64(buffer, offset + 11), 0, Side.NONE,
                    TradeType.BROKEN, (short)0, 0);
                break;

            default:
                // Y, L, V, K, J, I, N, O: decoded, counted, deliberately not published (docs/feed-handlers.md).
                break;
        }
        return true;
    }

    /**
     * An Order Executed (E) or Order Executed With Price (C): both carry order id, quantity and match number at the
     * same offsets.
     */
    private void publishExecution(
        final DirectBuffer buffer,
        final int offset,
        final int locate,
        final long exchangeTimeNs,
        final long receiveTimeNs,
        final short printable,
        final long priceMantissa)
    {
        final ExecuteOrderEncoder e = encoders.executeOrder(locate, sequence.next(), exchangeTimeNs, receiveTimeNs)
            .orderId(int64(buffer, offset + 11))
            .executedQuantity(uint32(buffer, offset + 19))
            .matchId(int64(buffer, offset + 23))
            .printable(printable);
        e.price().mantissa(priceMantissa).exponent(PRICE4_EXPONENT);
        encoders.publish(e);
    }

    private void publishCancel(
        final int locate,
        final long exchangeTimeNs,
        final long receiveTimeNs,
        final long orderId,
        final long cancelledQuantity,
        final CancelType cancelType)
    {
        encoders.publish(encoders.cancelOrder(locate, sequence.next(), exchangeTimeNs, receiveTimeNs)
            .orderId(orderId)
            .cancelledQuantity(cancelledQuantity)
            .cancelType(cancelType));
    }

    private void publishTrade(
        final int locate,
        final long exchangeTimeNs,
        final long receiveTimeNs,
        final long tradeId,
        final long quantity,
        final Side aggressorSide,
        final TradeType tradeType,
        final short saleConditions,
        final long priceMantissa)
    {
        final TradeEncoder e = encoders.trade(locate, sequence.next(), exchangeTimeNs, receiveTimeNs)
            .tradeId(tradeId)
            .quantity(quantity)
            .aggressorSide(aggressorSide)
            .tradeType(tradeType)
            .saleConditions(saleConditions);
        e.price().mantissa(priceMantissa).exponent(PRICE4_EXPONENT);
        encoders.publish(e);
    }

    /**
     * A cross of 0 shares: the auction ran and nothing executed (NASDAQ sends price 0 then). Not a print: a
     * MarketStatistic AUCTION with quantity 0, the price only when NASDAQ gives one, the cross type as venue code.
     */
    private void publishAuctionWithoutExecution(
        final int locate,
        final long exchangeTimeNs,
        final long receiveTimeNs,
        final long crossPrice,
        final byte crossType)
    {
        final MarketStatisticEncoder e = encoders
            .marketStatistic(locate, sequence.next(), exchangeTimeNs, receiveTimeNs)
            .statType(StatType.AUCTION)
            .action(LevelAction.NEW)
            .venueCode(crossType);
        if (0 != crossPrice)
        {
            e.price().mantissa(crossPrice).exponent(PRICE4_EXPONENT);
        }
        encoders.publish(e);
    }

    private void onStockDirectory(
        final DirectBuffer buffer,
        final int offset,
        final int locate,
        final long sourceSeq,
        final long exchangeTimeNs,
        final long receiveTimeNs)
    {
        if (0 == locate)
        {
            return;
        }
        ids.put(locate, buffer, offset + 11, STOCK_LENGTH);
        final SecurityType securityType;
        if ('T' == buffer.getByte(offset + 29))
        {
            securityType = SecurityType.TEST;
        }
        else if ('Y' == buffer.getByte(offset + 33))
        {
            securityType = SecurityType.ETF;
        }
        else
        {
            securityType = SecurityType.EQUITY;
        }
        publishDefinition(sequence.next(), locate, exchangeTimeNs, receiveTimeNs, securityType,
            (int)Math.min(Integer.MAX_VALUE, uint32(buffer, offset + 21)), buffer, offset + 11, STOCK_LENGTH);
    }

    private void ensureDefined(
        final DirectBuffer buffer,
        final int offset,
        final int stockOffset,
        final int locate,
        final long sourceSeq,
        final long exchangeTimeNs,
        final long receiveTimeNs)
    {
        final boolean defined = ids.isDefined(locate);
        final boolean symbolKnown = null != ids.symbol(locate);
        if (defined && (symbolKnown || stockOffset < 0))
        {
            return;
        }
        if (stockOffset >= 0 && !symbolKnown)
        {
            ids.put(locate, buffer, offset + stockOffset, STOCK_LENGTH);
        }
        if (stockOffset >= 0)
        {
            publishDefinition(sequence.definition(), locate, exchangeTimeNs, receiveTimeNs, SecurityType.UNKNOWN, 0,
                buffer, offset + stockOffset, STOCK_LENGTH);
        }
        else
        {
            publishDefinition(
                sequence.definition(), locate, exchangeTimeNs, receiveTimeNs, SecurityType.UNKNOWN, 0, buffer, offset, 0);
        }
    }

    /**
     * Publish the definition of a stock locate (symbol from {@code symbolLength} bytes at {@code symbolOffset}, blank
     * when 0) and mark it defined.
     */
    private void publishDefinition(
        final long sourceSeq,
        final int locate,
        final long exchangeTimeNs,
        final long receiveTimeNs,
        final SecurityType securityType,
        final int lotSize,
        final DirectBuffer buffer,
        final int symbolOffset,
        final int symbolLength)
    {
        final InstrumentDefinitionEncoder e = encoders.instrumentDefinition(
            locate, sourceSeq, exchangeTimeNs, receiveTimeNs)
            .securityType(securityType)
            .priceExponent(PRICE4_EXPONENT)
            .lotSize(lotSize)
            .tickSize(TICK_SIZE)
            .tradingDate(tradingDate);
        MessageEncoders.symbol(e, buffer, symbolOffset, symbolLength);
        encoders.publish(e);
        ids.markDefined(locate);
    }

    private void onSystemEvent(
        final DirectBuffer buffer, final int offset, final long sourceSeq, final long exchangeTimeNs,
        final long receiveTimeNs)
    {
        final byte event = buffer.getByte(offset + 11);
        if (EVENT_END_OF_MESSAGES == event)
        {
            final EndOfSessionEncoder e = encoders.endOfSession(sequence.next(), exchangeTimeNs, receiveTimeNs)
                .tradingDate(tradingDate)
                .messageCount(messagesInSession)
                .endOfReplay((short)0);
            encoders.publish(e);
            return;
        }
        final TradingState state = switch (event)
        {
            case EVENT_START_OF_MESSAGES -> TradingState.START_OF_DAY;
            case EVENT_START_OF_SYSTEM_HOURS -> TradingState.PRE_OPEN;
            case EVENT_START_OF_MARKET_HOURS -> TradingState.TRADING;
            case EVENT_END_OF_MARKET_HOURS -> TradingState.CLOSED;
            case EVENT_END_OF_SYSTEM_HOURS -> TradingState.END_OF_DAY;
            default -> TradingState.UNKNOWN;
        };
        final TradingStatusEncoder e = encoders.tradingStatus(0, sequence.next(), exchangeTimeNs, receiveTimeNs)
            .state(state)
            .venueCode(event)
            .reason(0, (byte)' ').reason(1, (byte)' ').reason(2, (byte)' ').reason(3, (byte)' ');
        encoders.publish(e);
    }

    private static TradingState tradingActionState(final byte state)
    {
        return switch (state)
        {
            case 'H' -> TradingState.HALTED;
            case 'P' -> TradingState.PAUSED;
            case 'Q' -> TradingState.QUOTE_ONLY;
            case 'T' -> TradingState.TRADING;
            default -> TradingState.UNKNOWN;
        };
    }

    private static Side side(final byte side)
    {
        return 'B' == side ? Side.BUY : Side.SELL;
    }

    private static boolean fieldsValid(final DirectBuffer buffer, final int offset, final byte type)
    {
        switch (type)
        {
            case ADD_ORDER:
            case ADD_ORDER_MPID:
            case TRADE:
            {
                final byte side = buffer.getByte(offset + 19);
                return 'B' == side || 'S' == side;
            }
            case STOCK_TRADING_ACTION:
            {
                final byte state = buffer.getByte(offset + 19);
                return 'H' == state || 'P' == state || 'Q' == state || 'T' == state;
            }
            case ORDER_EXECUTED_WITH_PRICE:
            {
                final byte printable = buffer.getByte(offset + 31);
                return 'Y' == printable || 'N' == printable;
            }
            case OPERATIONAL_HALT:
            {
                final byte action = buffer.getByte(offset + 20);
                return 'H' == action || 'T' == action;
            }
            default:
                return true;
        }
    }
}
