package io.tickbus.feed.iex;

import io.tickbus.feed.DerivedSequence;
import io.tickbus.feed.VenueSequenceTracker;
import io.tickbus.feed.DecoderContext;
import io.tickbus.feed.FeedStats;
import io.tickbus.feed.InstrumentIds;
import io.tickbus.feed.MessageEncoders;
import io.tickbus.feed.PacketDecoder;
import io.tickbus.sbe.GapReason;
import io.tickbus.sbe.InstrumentDefinitionEncoder;
import io.tickbus.sbe.LevelAction;
import io.tickbus.sbe.PriceLevelUpdateEncoder;
import io.tickbus.sbe.SecurityType;
import io.tickbus.sbe.Side;
import io.tickbus.sbe.TopOfBookEncoder;
import io.tickbus.sbe.TradeEncoder;
import io.tickbus.sbe.TradeType;
import io.tickbus.sbe.TradingState;
import io.tickbus.sbe.TradingStatusEncoder;
import io.tickbus.sbe.Venue;
import org.agrona.DirectBuffer;

import java.time.ZoneId;

import static io.tickbus.feed.iex.IexTp.*;

/**
 * Decodes IEX-TP v1 segments carrying TOPS 1.6 or DEEP 1.0 messages and publishes them as Tickbus messages
 * (mapping in docs/feed-handlers-iex-cme.md).
 * <p>
 * Per segment: the header is checked (length, version, message protocol id, payload length), the first message
 * sequence number is compared with the one expected from the previous segment by a {@link VenueSequenceTracker}
 * (a jump publishes a {@link io.tickbus.sbe.GapNoticeEncoder GapNotice} and reports
 * {@link FeedStats#onGap(long, long)}; messages already seen are skipped; a new session id is a sequence reset; a
 * jump beyond {@link DecoderContext#maxSequenceJump()} or a sequence outside the derived space is counted malformed
 * and the segment skipped without moving the expectation), a segment with no message is a heartbeat (published as a
 * Tickbus heartbeat).
 * <p>
 * Framing is checked before anything is published: the 2-byte length prefixes must frame exactly the message
 * count and end exactly at the payload length, else the whole segment is counted malformed and nothing in it is
 * published (a length that lies cannot make one message's bytes be read as another). A segment cut short (its
 * payload length runs past the packet) publishes the complete messages before the cut and is counted malformed.
 * Then each message is checked against the length its type has in the specification; an unknown or short message
 * is counted and skipped, and the others of the segment are still published.
 * <p>
 * Instrument ids are derived from the symbol alone ({@link InstrumentIds#assignFromSymbol}); a definition
 * is published before the first message that uses an id, from the security directory when one was seen, else a
 * minimal one (symbol, exponent -4) so that a capture starting mid-day still defines every instrument it uses.
 * <p>
 * Threading: one thread. Allocation: the encoders at construction; a map entry and a String per new symbol;
 * nothing else per packet.
 */
public final class IexTpDecoder implements PacketDecoder
{
    /** Time zone of IEX's trading day. */
    public static final ZoneId ZONE = ZoneId.of("America/New_York");

    /** Tick size (mantissa at exponent -4) of a security priced at or above $1.00: one cent. */
    public static final long TICK_ABOVE_ONE_DOLLAR = 100;
    /** Tick size (mantissa at exponent -4) of a security priced below $1.00: 0.0001. */
    public static final long TICK_BELOW_ONE_DOLLAR = 1;

    private static final String[] TYPE_CODES = new String[256];

    static
    {
        for (int i = 0; i < TYPE_CODES.length; i++)
        {
            TYPE_CODES[i] = String.valueOf((char)i);
        }
    }

    private final int protocolId;
    private final FeedStats stats;
    private final MessageEncoders encoders;
    private final InstrumentIds instrumentIds = new InstrumentIds();
    private final DerivedSequence sequence = new DerivedSequence();
    private final TradingDateClock dateClock = new TradingDateClock(ZONE, 0);

    private final VenueSequenceTracker tracker;
    private long sessionId = -1;
    private long firstNewSeq;
    private long duplicatesSkipped;

    /**
     * @param ctx sink, stats and feed id (concluded here).
     * @param protocolId {@link IexTp#PROTOCOL_TOPS} or {@link IexTp#PROTOCOL_DEEP}: segments of the other
     * protocol are malformed for this decoder.
     */
    public IexTpDecoder(final DecoderContext ctx, final int protocolId)
    {
        if (PROTOCOL_TOPS != protocolId && PROTOCOL_DEEP != protocolId)
        {
            throw new IllegalArgumentException("IEX-TP message protocol id must be 0x8003 or 0x8004: 0x" +
                Integer.toHexString(protocolId));
        }
        ctx.conclude();
        this.protocolId = protocolId;
        this.stats = ctx.stats();
        this.encoders = new MessageEncoders(ctx.sink(), ctx.stats(), ctx.feedId(), Venue.IEX);
        this.tracker = ctx.newSequenceTracker();
    }

    /** @return the instrument ids assigned so far. */
    public InstrumentIds instrumentIds()
    {
        return instrumentIds;
    }

    /** @return the encoders (and their publish counts). */
    public MessageEncoders encoders()
    {
        return encoders;
    }

    /** @return messages skipped because their sequence number had been seen already. */
    public long duplicatesSkipped()
    {
        return duplicatesSkipped;
    }

    /** @return the current session's sequence expectation. */
    public VenueSequenceTracker sequenceTracker()
    {
        return tracker;
    }

    /** {@inheritDoc} */
    public boolean resume(final long nextVenueSeq, final int epoch)
    {
        encoders.epoch(epoch);
        return tracker.resume(nextVenueSeq);
    }

    /**
     * {@inheritDoc}
     * <p>
     * The segment's messages are published in packet mode ({@link MessageEncoders#beginPacket()}), so the last one
     * carries {@link MessageEncoders#FLAG_LAST_IN_PACKET}.
     */
    public void onPacket(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long receiveTimeNs,
        final long packetNumber,
        final long fileOffset)
    {
        encoders.beginPacket();
        try
        {
            decodePacket(buffer, offset, length, receiveTimeNs, packetNumber, fileOffset);
        }
        finally
        {
            encoders.endPacket();
        }
    }

    private void decodePacket(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long receiveTimeNs,
        final long packetNumber,
        final long fileOffset)
    {
        stats.onPacket();
        if (length < HEADER_LENGTH)
        {
            stats.onMalformed("IEX-TP segment shorter than its 40-byte header", packetNumber, fileOffset);
            return;
        }
        if (VERSION != (buffer.getByte(offset + VERSION_OFFSET) & 0xFF))
        {
            stats.onMalformed("IEX-TP version is not 1", packetNumber, fileOffset);
            return;
        }
        if (protocolId != (buffer.getShort(offset + PROTOCOL_ID_OFFSET, ORDER) & 0xFFFF))
        {
            stats.onMalformed(PROTOCOL_TOPS == protocolId ?
                "IEX-TP message protocol id is not TOPS (0x8003)" :
                "IEX-TP message protocol id is not DEEP (0x8004)", packetNumber, fileOffset);
            return;
        }

        final int payloadLength = buffer.getShort(offset + PAYLOAD_LENGTH_OFFSET, ORDER) & 0xFFFF;
        final int messageCount = buffer.getShort(offset + MESSAGE_COUNT_OFFSET, ORDER) & 0xFFFF;
        final long session = buffer.getInt(offset + SESSION_ID_OFFSET, ORDER) & 0xFFFF_FFFFL;
        final long firstSeq = buffer.getLong(offset + FIRST_SEQ_OFFSET, ORDER);
        final long sendTimeNs = buffer.getLong(offset + SEND_TIME_OFFSET, ORDER);
        if (firstSeq < 0)
        {
            stats.onMalformed("IEX-TP negative first message sequence number", packetNumber, fileOffset);
            return;
        }

        if (!checkSequence(session, firstSeq, messageCount, sendTimeNs, receiveTimeNs))
        {
            stats.onMalformed(tracker.describeOutOfBounds("IEX-TP", firstSeq, messageCount), packetNumber,
                fileOffset);
            return;
        }
        final int payloadStart = offset + HEADER_LENGTH;
        final boolean cutShort = HEADER_LENGTH + payloadLength > length;
        final int end = cutShort ? offset + length : payloadStart + payloadLength;
        if (0 == messageCount)
        {
            stats.onHeartbeat();
            encoders.publish(encoders.heartbeat(heartbeatSeq(firstSeq), sendTimeNs, receiveTimeNs));
            if (0 != payloadLength)
            {
                stats.onMalformed("IEX-TP heartbeat with a payload", packetNumber, fileOffset);
            }
            return;
        }

        final int framed = frame(buffer, payloadStart, end, messageCount);
        if (cutShort)
        {
            stats.onMalformed("IEX-TP segment cut short: payload length beyond the end of the packet",
                packetNumber, fileOffset);
        }
        else if (framed < 0)
        {
            stats.onMalformed("IEX-TP message lengths do not add up to the payload length", packetNumber, fileOffset);
            return;
        }

        final int messages = framed >= 0 ? framed : -framed - 1;
        int position = payloadStart;
        for (int i = 0; i < messages; i++)
        {
            final int messageLength = buffer.getShort(position, ORDER) & 0xFFFF;
            final int messageOffset = position + MESSAGE_LENGTH_FIELD;
            final long seq = firstSeq + i;
            if (seq >= firstNewSeq)
            {
                onMessage(buffer, messageOffset, messageLength, seq, receiveTimeNs, packetNumber, fileOffset);
            }
            else
            {
                duplicatesSkipped++;
            }
            position = messageOffset + messageLength;
        }
    }

    /**
     * A heartbeat announces the sequence expected next; numbered after everything before it, so that every handler
     * numbers it alike and repeats of it share the number.
     */
    private long heartbeatSeq(final long nextSeq)
    {
        if (nextSeq >= 1)
        {
            return DerivedSequence.heartbeat(nextSeq);
        }
        sequence.begin(nextSeq);
        return sequence.synthetic();
    }

    /**
     * Walk the length prefixes before decoding anything, so that a length that lies never lets bytes of one
     * message be read as another.
     *
     * @return the message count when the prefixes frame exactly {@code messageCount} messages ending at
     * {@code end}, else {@code -(complete messages framed) - 1}.
     */
    private static int frame(final DirectBuffer buffer, final int start, final int end, final int messageCount)
    {
        int position = start;
        int framed = 0;
        while (framed < messageCount && position + MESSAGE_LENGTH_FIELD <= end)
        {
            final int messageLength = buffer.getShort(position, ORDER) & 0xFFFF;
            if (0 == messageLength || position + MESSAGE_LENGTH_FIELD + messageLength > end)
            {
                break;
            }
            position += MESSAGE_LENGTH_FIELD + messageLength;
            framed++;
        }
        return framed == messageCount && position == end ? framed : -framed - 1;
    }

    /**
     * @return false when the segment's sequence is out of bounds (nothing changed).
     */
    private boolean checkSequence(
        final long session,
        final long firstSeq,
        final int messageCount,
        final long sendTimeNs,
        final long receiveTimeNs)
    {
        final boolean newSession = session != sessionId;
        if (newSession)
        {
            if (!VenueSequenceTracker.fitsDerivedSpace(firstSeq, messageCount))
            {
                tracker.onPacket(firstSeq, messageCount); // counts it
                return false;
            }
            if (-1 != sessionId)
            {
                tracker.reset(); // the first session may carry a resumed expectation
                encoders.nextEpoch(); // the reset notice already belongs to the new session
                sequence.begin(firstSeq);
                encoders.publishGapNotice(
                    sequence.gapNotice(), sendTimeNs, receiveTimeNs, firstSeq, firstSeq, GapReason.SEQUENCE_RESET);
            }
            sessionId = session;
        }
        final int result = tracker.onPacket(firstSeq, messageCount);
        if (VenueSequenceTracker.OUT_OF_BOUNDS == result)
        {
            return false;
        }
        if (VenueSequenceTracker.GAP == result)
        {
            final long from = tracker.gapFrom();
            final long to = from + tracker.gapCount() - 1;
            stats.onGap(from, to);
            sequence.begin(firstSeq);
            encoders.publishGapNotice(sequence.gapNotice(), sendTimeNs, receiveTimeNs, from, to, GapReason.VENUE_GAP);
        }
        firstNewSeq = firstSeq + tracker.duplicates();
        return true;
    }

    private void onMessage(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long seq,
        final long receiveTimeNs,
        final long packetNumber,
        final long fileOffset)
    {
        final byte type = buffer.getByte(offset + TYPE_OFFSET);
        final int minimumLength = minimumLength(type);
        if (minimumLength < 0)
        {
            stats.onMalformed("unknown IEX message type", packetNumber, fileOffset);
            return;
        }
        if (length < minimumLength)
        {
            stats.onMalformed("IEX message shorter than its type's length", packetNumber, fileOffset);
            return;
        }
        if (PROTOCOL_TOPS == protocolId ? !isTopsType(type) : !isDeepType(type))
        {
            stats.onMalformed(PROTOCOL_TOPS == protocolId ?
                "IEX message type not part of TOPS 1.6" : "IEX message type not part of DEEP 1.0",
                packetNumber, fileOffset);
            return;
        }

        final long timestampNs = buffer.getLong(offset + TIMESTAMP_OFFSET, ORDER);
        stats.onMessage(TYPE_CODES[type & 0xFF], timestampNs);
        sequence.begin(seq);

        switch (type)
        {
            case SYSTEM_EVENT:
                onSystemEvent(buffer, offset, timestampNs, receiveTimeNs);
                break;

            case SECURITY_DIRECTORY:
                onSecurityDirectory(buffer, offset, timestampNs, receiveTimeNs);
                break;

            case TRADING_STATUS:
                onTradingStatus(buffer, offset, timestampNs, receiveTimeNs);
                break;

            case OPERATIONAL_HALT:
                onOperationalHalt(buffer, offset, timestampNs, receiveTimeNs);
                break;

            case SECURITY_EVENT:
                onSecurityEvent(buffer, offset, timestampNs, receiveTimeNs);
                break;

            case QUOTE_UPDATE:
                onQuoteUpdate(buffer, offset, timestampNs, receiveTimeNs);
                break;

            case TRADE_REPORT:
                onTrade(buffer, offset, timestampNs, receiveTimeNs, TradeType.REGULAR);
                break;

            case TRADE_BREAK:
                onTrade(buffer, offset, timestampNs, receiveTimeNs, TradeType.BROKEN);
                break;

            case OFFICIAL_PRICE:
                onOfficialPrice(buffer, offset, timestampNs, receiveTimeNs);
                break;

            case PRICE_LEVEL_BUY:
                onPriceLevel(buffer, offset, timestampNs, receiveTimeNs, Side.BUY);
                break;

            case PRICE_LEVEL_SELL:
                onPriceLevel(buffer, offset, timestampNs, receiveTimeNs, Side.SELL);
                break;

            default:
                // SHORT_SALE_PRICE_TEST, RETAIL_LIQUIDITY_INDICATOR, AUCTION_INFORMATION: parsed and counted,
                // deliberately not published (no Tickbus message carries them, see the docs table).
                break;
        }
    }

    private void onSystemEvent(
        final DirectBuffer buffer, final int offset, final long timestampNs, final long receiveTimeNs)
    {
        final byte event = buffer.getByte(offset + FLAGS_OFFSET);
        if (SYSTEM_END_OF_MESSAGES == event)
        {
            encoders.publish(encoders.endOfSession(sequence.next(), timestampNs, receiveTimeNs)
                .tradingDate(dateClock.tradingDate(timestampNs))
                .messageCount(encoders.publishedCount())
                .endOfReplay((short)0));
            return;
        }

        final TradingState state;
        switch (event)
        {
            case SYSTEM_START_OF_MESSAGES:
                state = TradingState.START_OF_DAY;
                break;
            case 'S':
                state = TradingState.PRE_OPEN;
                break;
            case 'R':
                state = TradingState.TRADING;
                break;
            case 'M':
                state = TradingState.CLOSED;
                break;
            case 'E':
                state = TradingState.END_OF_DAY;
                break;
            default:
                state = TradingState.UNKNOWN;
                break;
        }
        encoders.publish(encoders.tradingStatus(0, sequence.next(), timestampNs, receiveTimeNs)
            .state(state)
            .venueCode(event)
            .putReason((byte)'S', (byte)'Y', (byte)'S', (byte)' '));
    }

    private void onSecurityDirectory(
        final DirectBuffer buffer, final int offset, final long timestampNs, final long receiveTimeNs)
    {
        final int instrumentId = instrumentIds.assignFromSymbol(buffer, offset + SYMBOL_OFFSET, SYMBOL_LENGTH);
        final int flags = buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
        final long roundLot = buffer.getInt(offset + DIRECTORY_ROUND_LOT_OFFSET, ORDER) & 0xFFFF_FFFFL;
        final long adjustedPoc = buffer.getLong(offset + DIRECTORY_ADJUSTED_POC_OFFSET, ORDER);
        final SecurityType securityType = 0 != (flags & DIRECTORY_FLAG_TEST) ? SecurityType.TEST :
            0 != (flags & DIRECTORY_FLAG_ETP) ? SecurityType.ETF : SecurityType.EQUITY;

        final InstrumentDefinitionEncoder definition = encoders.instrumentDefinition(
            instrumentId, sequence.next(), timestampNs, receiveTimeNs);
        MessageEncoders.symbol(definition, buffer, offset + SYMBOL_OFFSET, SYMBOL_LENGTH)
            .securityType(securityType)
            .priceExponent(PRICE_EXPONENT)
            .lotSize((int)Math.min(roundLot, Integer.MAX_VALUE))
            .tickSize(adjustedPoc >= 10_000 ? TICK_ABOVE_ONE_DOLLAR : TICK_BELOW_ONE_DOLLAR)
            .tradingDate(dateClock.tradingDate(timestampNs));
        encoders.publish(definition);
        instrumentIds.markDefined(instrumentId);
    }

    private void onTradingStatus(
        final DirectBuffer buffer, final int offset, final long timestampNs, final long receiveTimeNs)
    {
        final int instrumentId = instrumentFor(buffer, offset, timestampNs, receiveTimeNs);
        final byte status = buffer.getByte(offset + FLAGS_OFFSET);
        final TradingState state;
        switch (status)
        {
            case 'H':
                state = TradingState.HALTED;
                break;
            case 'O':
                state = TradingState.QUOTE_ONLY;
                break;
            case 'P':
                state = TradingState.PAUSED;
                break;
            case 'T':
                state = TradingState.TRADING;
                break;
            default:
                state = TradingState.UNKNOWN;
                break;
        }
        final int reason = offset + TRADING_STATUS_REASON_OFFSET;
        encoders.publish(encoders.tradingStatus(instrumentId, sequence.next(), timestampNs, receiveTimeNs)
            .state(state)
            .venueCode(status)
            .putReason(buffer.getByte(reason), buffer.getByte(reason + 1), buffer.getByte(reason + 2),
                buffer.getByte(reason + 3)));
    }

    private void onOperationalHalt(
        final DirectBuffer buffer, final int offset, final long timestampNs, final long receiveTimeNs)
    {
        final int instrumentId = instrumentFor(buffer, offset, timestampNs, receiveTimeNs);
        final byte status = buffer.getByte(offset + FLAGS_OFFSET);
        encoders.publish(encoders.tradingStatus(instrumentId, sequence.next(), timestampNs, receiveTimeNs)
            .state('O' == status ? TradingState.HALTED : 'N' == status ? TradingState.TRADING : TradingState.UNKNOWN)
            .venueCode(status)
            .putReason((byte)'O', (byte)'P', (byte)'H', (byte)'T'));
    }

    private void onSecurityEvent(
        final DirectBuffer buffer, final int offset, final long timestampNs, final long receiveTimeNs)
    {
        final int instrumentId = instrumentFor(buffer, offset, timestampNs, receiveTimeNs);
        final byte event = buffer.getByte(offset + FLAGS_OFFSET);
        encoders.publish(encoders.tradingStatus(instrumentId, sequence.next(), timestampNs, receiveTimeNs)
            .state('O' == event ? TradingState.TRADING : 'C' == event ? TradingState.CLOSED : TradingState.UNKNOWN)
            .venueCode(event)
            .putReason((byte)'S', (byte)'E', (byte)'V', (byte)'T'));
    }

    private void onQuoteUpdate(
        final DirectBuffer buffer, final int offset, final long timestampNs, final long receiveTimeNs)
    {
        final int instrumentId = instrumentFor(buffer, offset, timestampNs, receiveTimeNs);
        final TopOfBookEncoder quote = encoders.topOfBook(instrumentId, sequence.next(), timestampNs, receiveTimeNs);
        quote.bidPrice().mantissa(buffer.getLong(offset + QUOTE_BID_PRICE_OFFSET, ORDER)).exponent(PRICE_EXPONENT);
        quote.bidQuantity(buffer.getInt(offset + QUOTE_BID_SIZE_OFFSET, ORDER) & 0xFFFF_FFFFL);
        quote.askPrice().mantissa(buffer.getLong(offset + QUOTE_ASK_PRICE_OFFSET, ORDER)).exponent(PRICE_EXPONENT);
        quote.askQuantity(buffer.getInt(offset + QUOTE_ASK_SIZE_OFFSET, ORDER) & 0xFFFF_FFFFL);
        encoders.publish(quote);
    }

    private void onTrade(
        final DirectBuffer buffer,
        final int offset,
        final long timestampNs,
        final long receiveTimeNs,
        final TradeType tradeType)
    {
        final int instrumentId = instrumentFor(buffer, offset, timestampNs, receiveTimeNs);
        final TradeEncoder trade = encoders.trade(instrumentId, sequence.next(), timestampNs, receiveTimeNs);
        trade.tradeId(buffer.getLong(offset + TRADE_ID_OFFSET, ORDER));
        trade.price().mantissa(buffer.getLong(offset + TRADE_PRICE_OFFSET, ORDER)).exponent(PRICE_EXPONENT);
        trade.quantity(buffer.getInt(offset + TRADE_SIZE_OFFSET, ORDER) & 0xFFFF_FFFFL)
            .aggressorSide(Side.NONE)
            .tradeType(tradeType)
            .saleConditions((short)(buffer.getByte(offset + FLAGS_OFFSET) & 0xFF));
        encoders.publish(trade);
    }

    private void onOfficialPrice(
        final DirectBuffer buffer, final int offset, final long timestampNs, final long receiveTimeNs)
    {
        final int instrumentId = instrumentFor(buffer, offset, timestampNs, receiveTimeNs);
        final TradeEncoder trade = encoders.trade(instrumentId, sequence.next(), timestampNs, receiveTimeNs);
        trade.tradeId(0);
        trade.price().mantissa(buffer.getLong(offset + OFFICIAL_PRICE_OFFSET, ORDER)).exponent(PRICE_EXPONENT);
        trade.quantity(0)
            .aggressorSide(Side.NONE)
            .tradeType(TradeType.OFFICIAL_PRICE)
            .saleConditions((short)(buffer.getByte(offset + FLAGS_OFFSET) & 0xFF));
        encoders.publish(trade);
    }

    private void onPriceLevel(
        final DirectBuffer buffer,
        final int offset,
        final long timestampNs,
        final long receiveTimeNs,
        final Side side)
    {
        final int instrumentId = instrumentFor(buffer, offset, timestampNs, receiveTimeNs);
        final long size = buffer.getInt(offset + LEVEL_SIZE_OFFSET, ORDER) & 0xFFFF_FFFFL;
        final PriceLevelUpdateEncoder level = encoders.priceLevelUpdate(
            instrumentId, sequence.next(), timestampNs, receiveTimeNs);
        level.side(side)
            .action(0 == size ? LevelAction.DELETE : LevelAction.OVERLAY)
            .level((short)0)
            .eventFlags((short)(buffer.getByte(offset + FLAGS_OFFSET) & 0x01));
        level.price().mantissa(buffer.getLong(offset + LEVEL_PRICE_OFFSET, ORDER)).exponent(PRICE_EXPONENT);
        level.quantity(size).orderCount(-1);
        encoders.publish(level);
        if (0 != (buffer.getByte(offset + FLAGS_OFFSET) & 0x01))
        {
            encoders.markEndOfEvent(); // IEX: event processing complete, the book is consistent.
        }
    }

    /**
     * The message's instrument id; its minimal definition is published first when none was published yet.
     */
    private int instrumentFor(
        final DirectBuffer buffer, final int offset, final long timestampNs, final long receiveTimeNs)
    {
        final int instrumentId = instrumentIds.assignFromSymbol(buffer, offset + SYMBOL_OFFSET, SYMBOL_LENGTH);
        if (!instrumentIds.isDefined(instrumentId))
        {
            final InstrumentDefinitionEncoder definition = encoders.instrumentDefinition(
                instrumentId, sequence.definition(), timestampNs, receiveTimeNs);
            MessageEncoders.symbol(definition, buffer, offset + SYMBOL_OFFSET, SYMBOL_LENGTH)
                .securityType(SecurityType.UNKNOWN)
                .priceExponent(PRICE_EXPONENT)
                .lotSize(0)
                .tickSize(0)
                .tradingDate(dateClock.tradingDate(timestampNs));
            encoders.publish(definition);
            instrumentIds.markDefined(instrumentId);
        }
        return instrumentId;
    }

    private static boolean isTopsType(final byte type)
    {
        return PRICE_LEVEL_BUY != type && PRICE_LEVEL_SELL != type && SECURITY_EVENT != type;
    }

    private static boolean isDeepType(final byte type)
    {
        return QUOTE_UPDATE != type;
    }
}
