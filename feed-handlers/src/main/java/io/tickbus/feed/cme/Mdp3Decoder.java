package io.tickbus.feed.cme;

import io.tickbus.feed.DecoderContext;
import io.tickbus.feed.FeedStats;
import io.tickbus.feed.InstrumentIds;
import io.tickbus.feed.MessageEncoders;
import io.tickbus.feed.PacketDecoder;
import io.tickbus.feed.cme.mdp3.MDIncrementalRefreshBook32Decoder;
import io.tickbus.feed.cme.mdp3.MDIncrementalRefreshDailyStatistics33Decoder;
import io.tickbus.feed.cme.mdp3.MDIncrementalRefreshDailyStatistics49Decoder;
import io.tickbus.feed.cme.mdp3.MDIncrementalRefreshSessionStatistics35Decoder;
import io.tickbus.feed.cme.mdp3.MDIncrementalRefreshSessionStatistics51Decoder;
import io.tickbus.feed.cme.mdp3.MDIncrementalRefreshVolume37Decoder;
import io.tickbus.feed.cme.mdp3.MDIncrementalRefreshBook46Decoder;
import io.tickbus.feed.cme.mdp3.MDIncrementalRefreshOrderBook47Decoder;
import io.tickbus.feed.cme.mdp3.MDIncrementalRefreshTradeSummary42Decoder;
import io.tickbus.feed.cme.mdp3.MDIncrementalRefreshTradeSummary48Decoder;
import io.tickbus.feed.cme.mdp3.MDInstrumentDefinitionFuture27Decoder;
import io.tickbus.feed.cme.mdp3.MDInstrumentDefinitionFuture54Decoder;
import io.tickbus.feed.cme.mdp3.MDInstrumentDefinitionOption41Decoder;
import io.tickbus.feed.cme.mdp3.MDInstrumentDefinitionOption55Decoder;
import io.tickbus.feed.cme.mdp3.MDInstrumentDefinitionSpread29Decoder;
import io.tickbus.feed.cme.mdp3.MDInstrumentDefinitionSpread56Decoder;
import io.tickbus.feed.cme.mdp3.MessageHeaderDecoder;
import io.tickbus.feed.cme.mdp3.SecurityStatus30Decoder;
import io.tickbus.feed.cme.mdp3.SnapshotFullRefresh38Decoder;
import io.tickbus.feed.cme.mdp3.SnapshotFullRefresh52Decoder;
import io.tickbus.feed.DerivedSequence;
import io.tickbus.feed.VenueSequenceTracker;
import io.tickbus.feed.iex.TradingDateClock;
import io.tickbus.sbe.BookSnapshotEncoder;
import io.tickbus.sbe.CancelType;
import io.tickbus.sbe.GapReason;
import io.tickbus.sbe.InstrumentDefinitionEncoder;
import io.tickbus.sbe.LevelAction;
import io.tickbus.sbe.MarketStatisticEncoder;
import io.tickbus.sbe.StatType;
import io.tickbus.sbe.SecurityType;
import io.tickbus.sbe.Side;
import io.tickbus.sbe.TradeType;
import io.tickbus.sbe.TradingState;
import io.tickbus.sbe.Venue;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;

/**
 * Decodes CME Globex MDP 3.0 packets with decoders generated at build time from CME's schema (version 9, see
 * src/main/resources/cme/README.md) and publishes Tickbus messages (mapping in docs/feed-handlers-iex-cme.md).
 * <p>
 * Packet: 4-byte sequence number, 8-byte sending time, then messages of a 2-byte size (counting itself) and an
 * SBE message header. Each message is decoded with its own header's block length and version as acting block
 * length and acting version, so the v5 and v8 messages of older captures decode with the v9 decoders (fields a
 * later version appended read as null). Before anything is published the sizes must frame the packet exactly, and
 * each message's groups are walked with {@link Mdp3Layout#check}; a packet whose sizes do not add up is counted
 * malformed and dropped whole, a message that fails the check is counted and skipped alone.
 * <p>
 * Sequence ({@link VenueSequenceTracker}, one number per packet): a packet number above the one expected publishes
 * a gap notice; below it is a duplicate (the A/B feed copy) and skipped, except 1 which is CME's sequence reset; a
 * jump beyond {@link DecoderContext#maxSequenceJump()} is counted malformed and skipped without moving the
 * expectation. Instrument ids are CME security ids; a minimal
 * definition is published before the first message of a security whose definition was not seen.
 * <p>
 * Threading: one thread. Allocation: decoders at construction; a String per new security definition.
 */
public final class Mdp3Decoder implements PacketDecoder
{
    /** Time zone of the CME trade date. */
    public static final ZoneId ZONE = ZoneId.of("America/Chicago");
    /** The trade date starts at 17:00 Chicago time the evening before: shift by 7 hours. */
    public static final long TRADE_DATE_SHIFT_NS = TimeUnit.HOURS.toNanos(7);
    /** Packet header: sequence number (uint32) and sending time (uint64). */
    public static final int PACKET_HEADER_LENGTH = 12;
    /** Message size field (uint16, counts itself). */
    public static final int MESSAGE_SIZE_LENGTH = 2;
    /** MDP3 schema id in every message header. */
    public static final int SCHEMA_ID = MessageHeaderDecoder.SCHEMA_ID;
    /** eventFlags bit of a PriceLevelUpdate: the entry is from the implied book (CME MDEntryType E / F). */
    public static final short EVENT_FLAG_IMPLIED = 2;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    /** Offset of a message's root block within the message (after its size field and SBE header). */
    private static final int ROOT_OFFSET = MESSAGE_SIZE_LENGTH + MessageHeaderDecoder.ENCODED_LENGTH;
    private static final int MAX_ENTRIES = 256;
    /** Null MDTradeEntryID (uint32 null), the same in templates 42 and 48. */
    private static final long TRADE_ENTRY_ID_NULL =
        MDIncrementalRefreshTradeSummary48Decoder.NoMDEntriesDecoder.mDTradeEntryIDNullValue();
    /** Null of CME's Int32NULL (2147483647): NumberOfOrders, MDEntrySize of book entries, MDDisplayQty. */
    private static final int INT32_NULL =
        MDIncrementalRefreshBook46Decoder.NoMDEntriesDecoder.numberOfOrdersNullValue();
    private static final String[] TEMPLATE_CODES = new String[Mdp3Layout.MAX_TEMPLATE_ID + 1];
    /** MatchEventIndicator after TransactTime in the incremental templates (SecurityStatus has its own). */
    private static final int MATCH_EVENT_INDICATOR_OFFSET =
        MDIncrementalRefreshBook46Decoder.matchEventIndicatorEncodingOffset();
    /** MatchEventIndicator bit 7: last message of the event. */
    private static final int END_OF_EVENT = 0x80;

    static
    {
        for (int i = 0; i < TEMPLATE_CODES.length; i++)
        {
            TEMPLATE_CODES[i] = Integer.toString(i);
        }
    }

    private final FeedStats stats;
    private final MessageEncoders encoders;
    private final InstrumentIds instrumentIds = new InstrumentIds();
    private final DerivedSequence sequence = new DerivedSequence();
    private int messagePosition;
    private final TradingDateClock dateClock = new TradingDateClock(ZONE, TRADE_DATE_SHIFT_NS);
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final MDIncrementalRefreshBook32Decoder book32 = new MDIncrementalRefreshBook32Decoder();
    private final MDIncrementalRefreshBook46Decoder book46 = new MDIncrementalRefreshBook46Decoder();
    private final MDIncrementalRefreshOrderBook47Decoder orderBook47 = new MDIncrementalRefreshOrderBook47Decoder();
    private final MDIncrementalRefreshTradeSummary42Decoder trade42 = new MDIncrementalRefreshTradeSummary42Decoder();
    private final MDIncrementalRefreshTradeSummary48Decoder trade48 = new MDIncrementalRefreshTradeSummary48Decoder();
    private final SecurityStatus30Decoder status30 = new SecurityStatus30Decoder();
    private final MDIncrementalRefreshDailyStatistics33Decoder daily33 =
        new MDIncrementalRefreshDailyStatistics33Decoder();
    private final MDIncrementalRefreshDailyStatistics49Decoder daily49 =
        new MDIncrementalRefreshDailyStatistics49Decoder();
    private final MDIncrementalRefreshSessionStatistics35Decoder session35 =
        new MDIncrementalRefreshSessionStatistics35Decoder();
    private final MDIncrementalRefreshSessionStatistics51Decoder session51 =
        new MDIncrementalRefreshSessionStatistics51Decoder();
    private final MDIncrementalRefreshVolume37Decoder volume37 = new MDIncrementalRefreshVolume37Decoder();
    private final SnapshotFullRefresh38Decoder snapshot38 = new SnapshotFullRefresh38Decoder();
    private final SnapshotFullRefresh52Decoder snapshot52 = new SnapshotFullRefresh52Decoder();
    private final MDInstrumentDefinitionFuture27Decoder future27 = new MDInstrumentDefinitionFuture27Decoder();
    private final MDInstrumentDefinitionSpread29Decoder spread29 = new MDInstrumentDefinitionSpread29Decoder();
    private final MDInstrumentDefinitionOption41Decoder option41 = new MDInstrumentDefinitionOption41Decoder();
    private final MDInstrumentDefinitionFuture54Decoder future54 = new MDInstrumentDefinitionFuture54Decoder();
    private final MDInstrumentDefinitionSpread56Decoder spread56 = new MDInstrumentDefinitionSpread56Decoder();
    private final MDInstrumentDefinitionOption55Decoder option55 = new MDInstrumentDefinitionOption55Decoder();

    // Per-entry state of the message being mapped, for order entries that refer back to MD entries.
    private final long[] entryPrice = new long[MAX_ENTRIES];
    private final int[] entrySecurityId = new int[MAX_ENTRIES];
    private final byte[] entrySide = new byte[MAX_ENTRIES];
    private final int[] entryOrders = new int[MAX_ENTRIES];
    private final long[] entryTradeId = new long[MAX_ENTRIES];

    // Which trade entry the order entries of a trade summary are being attached to, see nextExecutionTrade.
    private int executionTrade;
    private int executionOrdersUsed;

    private final VenueSequenceTracker tracker;
    private long duplicatesSkipped;
    private long sendingTimeNs;
    private long receiveTimeNs;

    /**
     * @param ctx sink, stats and feed id (concluded here).
     */
    public Mdp3Decoder(final DecoderContext ctx)
    {
        ctx.conclude();
        this.stats = ctx.stats();
        this.encoders = new MessageEncoders(ctx.sink(), ctx.stats(), ctx.feedId(), Venue.CME);
        this.tracker = ctx.newSequenceTracker();
    }

    /** @return the packet sequence expectation. */
    public VenueSequenceTracker sequenceTracker()
    {
        return tracker;
    }

    /** @return the encoders (and their publish counts). */
    public MessageEncoders encoders()
    {
        return encoders;
    }

    /** @return security ids with a definition, and their symbols. */
    public InstrumentIds instrumentIds()
    {
        return instrumentIds;
    }

    /** @return packets skipped as duplicates of ones already decoded. */
    public long duplicatesSkipped()
    {
        return duplicatesSkipped;
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
     * The packet's messages are published in packet mode ({@link MessageEncoders#beginPacket()}), so the last one
     * carries {@link MessageEncoders#FLAG_LAST_IN_PACKET} and the one ending a CME event
     * {@link MessageEncoders#FLAG_END_OF_EVENT}.
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
        if (length < PACKET_HEADER_LENGTH)
        {
            stats.onMalformed("MDP3 packet shorter than its 12-byte header", packetNumber, fileOffset);
            return;
        }
        if (length > DerivedSequence.MAX_POSITION)
        {
            stats.onMalformed("MDP3 packet longer than " + DerivedSequence.MAX_POSITION +
                " bytes (its entries' positions would not number apart)", packetNumber, fileOffset);
            return;
        }
        final long seq = buffer.getInt(offset, ORDER) & 0xFFFF_FFFFL;
        final long sendingTime = buffer.getLong(offset + 4, ORDER);
        final int end = offset + length;
        if (!framesExactly(buffer, offset + PACKET_HEADER_LENGTH, end))
        {
            stats.onMalformed("MDP3 message sizes do not add up to the packet length", packetNumber, fileOffset);
            return;
        }
        if (!checkSequence(seq, sendingTime, receiveTimeNs, packetNumber, fileOffset))
        {
            return;
        }

        this.sendingTimeNs = sendingTime;
        this.receiveTimeNs = receiveTimeNs;
        sequence.begin(seq);
        boolean anyData = false;
        int position = offset + PACKET_HEADER_LENGTH;
        while (position < end)
        {
            final int size = buffer.getShort(position, ORDER) & 0xFFFF;
            messagePosition = position - offset;
            sequence.element(messagePosition + 1);
            anyData |= onMessage(buffer, position, size, packetNumber, fileOffset);
            position += size;
        }
        if (!anyData)
        {
            stats.onHeartbeat();
        }
    }

    private static boolean framesExactly(final DirectBuffer buffer, final int start, final int end)
    {
        int position = start;
        while (position + MESSAGE_SIZE_LENGTH <= end)
        {
            final int size = buffer.getShort(position, ORDER) & 0xFFFF;
            if (size < ROOT_OFFSET || position + size > end)
            {
                return false;
            }
            position += size;
        }
        return position == end;
    }

    private boolean checkSequence(
        final long seq, final long sendingTime, final long receiveTimeNs, final long packetNumber, final long fileOffset)
    {
        final long expected = tracker.expected();
        final boolean reset = 1 == seq && VenueSequenceTracker.NONE != expected && expected > 1;
        if (reset)
        {
            tracker.reset();
            encoders.nextEpoch(); // the reset notice already belongs to the new epoch
        }
        switch (tracker.onPacket(seq, 1))
        {
            case VenueSequenceTracker.OUT_OF_BOUNDS:
                stats.onMalformed(tracker.describeOutOfBounds("MDP3", seq, 1), packetNumber, fileOffset);
                return false;

            case VenueSequenceTracker.DUPLICATE:
                duplicatesSkipped++;
                return false;

            case VenueSequenceTracker.GAP:
                final long from = tracker.gapFrom();
                final long to = from + tracker.gapCount() - 1;
                stats.onGap(from, to);
                sequence.begin(seq);
                encoders.publishGapNotice(
                    sequence.gapNotice(), sendingTime, receiveTimeNs, from, to, GapReason.VENUE_GAP);
                return true;

            default:
                if (reset)
                {
                    sequence.begin(seq);
                    encoders.publishGapNotice(
                        sequence.gapNotice(), sendingTime, receiveTimeNs, seq, seq, GapReason.SEQUENCE_RESET);
                }
                return true;
        }
    }

    /**
     * @return true when the message carried data (anything but an admin heartbeat).
     */
    private boolean onMessage(
        final DirectBuffer buffer, final int position, final int size, final long packetNumber, final long fileOffset)
    {
        view.wrap(buffer, position, size);
        header.wrap(view, MESSAGE_SIZE_LENGTH);
        final int templateId = header.templateId();
        final int blockLength = header.blockLength();
        final int version = header.version();
        if (SCHEMA_ID != header.schemaId())
        {
            stats.onMalformed("MDP3 message of another schema id", packetNumber, fileOffset);
            return true;
        }
        final int check = Mdp3Layout.check(view, ROOT_OFFSET, size, templateId, blockLength, version);
        if (Mdp3Layout.OK != check)
        {
            stats.onMalformed(Mdp3Layout.describe(check), packetNumber, fileOffset);
            return true;
        }

        final long transactTime = hasTransactTimeFirst(templateId) ? view.getLong(ROOT_OFFSET, ORDER) : sendingTimeNs;
        stats.onMessage(TEMPLATE_CODES[templateId], transactTime);
        final boolean data = publish(templateId, blockLength, version, transactTime);
        if (endsEvent(templateId) && !encoders.markEndOfEvent())
        {
            // The event's last message published nothing and nothing of this packet is held (an empty book message,
            // EndOfEvent only, first in its packet): a heartbeat carries the end of the event, numbered at the
            // message's last byte, after anything of its entries.
            sequence.element(messagePosition + size);
            encoders.publish(encoders.heartbeat(sequence.next(), transactTime, receiveTimeNs));
            encoders.markEndOfEvent();
        }
        return data;
    }

    /**
     * @return true when the message's MatchEventIndicator (incremental templates) has EndOfEvent.
     */
    private boolean endsEvent(final int templateId)
    {
        final int at;
        switch (templateId)
        {
            case 30:
                at = SecurityStatus30Decoder.matchEventIndicatorEncodingOffset();
                break;
            case 4:
            case 32:
            case 33:
            case 34:
            case 35:
            case 37:
            case 42:
            case 43:
            case 46:
            case 47:
            case 48:
            case 49:
            case 50:
            case 51:
                at = MATCH_EVENT_INDICATOR_OFFSET;
                break;
            default:
                return false;
        }
        return 0 != (view.getByte(ROOT_OFFSET + at) & END_OF_EVENT);
    }

    /**
     * Publish what a checked message maps to.
     *
     * @return true when the message carried data (anything but an admin heartbeat).
     */
    private boolean publish(final int templateId, final int blockLength, final int version, final long transactTime)
    {
        switch (templateId)
        {
            case 4:
                encoders.publishGapNotice(sequence.next(), transactTime, receiveTimeNs, 0, 0, GapReason.SEQUENCE_RESET);
                return true;
            case 12:
                encoders.publish(encoders.heartbeat(sequence.next(), sendingTimeNs, receiveTimeNs));
                return false;
            case 27:
                onFuture27(blockLength, version);
                return true;
            case 29:
                onSpread29(blockLength, version);
                return true;
            case 41:
                onOption41(blockLength, version);
                return true;
            case 54:
                onFuture54(blockLength, version);
                return true;
            case 55:
                onOption55(blockLength, version);
                return true;
            case 56:
                onSpread56(blockLength, version);
                return true;
            case 30:
                onSecurityStatus(blockLength, version);
                return true;
            case 32:
                onBook32(blockLength, version);
                return true;
            case 46:
                onBook46(blockLength, version);
                return true;
            case 47:
                onOrderBook47(blockLength, version);
                return true;
            case 42:
                onTrade42(blockLength, version);
                return true;
            case 48:
                onTrade48(blockLength, version);
                return true;
            case 33:
                onDaily33(blockLength, version);
                return true;
            case 49:
                onDaily49(blockLength, version);
                return true;
            case 35:
                onSession35(blockLength, version);
                return true;
            case 51:
                onSession51(blockLength, version);
                return true;
            case 37:
                onVolume37(blockLength, version);
                return true;
            case 38:
                onSnapshot38(blockLength, version);
                return true;
            case 52:
                onSnapshot52(blockLength, version);
                return true;
            default:
                // 15, 16 (TCP replay admin), 34, 50 (limits and banding), 39 (quote request), 43, 44, 53 (old MBO
                // and MBO snapshot): decoded (checked) and counted, not published, see the docs table.
                return true;
        }
    }

    private static boolean hasTransactTimeFirst(final int templateId)
    {
        switch (templateId)
        {
            case 4:
            case 30:
            case 32:
            case 33:
            case 34:
            case 35:
            case 37:
            case 42:
            case 43:
            case 46:
            case 47:
            case 48:
            case 49:
            case 50:
            case 51:
                return true;
            default:
                return false;
        }
    }

    /**
     * Number what follows from the group entry that ends at {@code limit} of the current message: by its place in
     * the packet, so a handler that skips an entry (an unknown instrument) numbers the others alike.
     */
    private void entryAt(final int limit)
    {
        sequence.element(messagePosition + limit);
    }

    private void onBook32(final int blockLength, final int version)
    {
        book32.wrap(view, ROOT_OFFSET, blockLength, version);
        final long time = book32.transactTime();
        final boolean endOfEvent = book32.matchEventIndicator().endOfEvent();
        final MDIncrementalRefreshBook32Decoder.NoMDEntriesDecoder entries = book32.noMDEntries();
        final int count = entries.count();
        byte exponent = -7;
        for (int i = 0; i < count; i++)
        {
            entries.next();
            entryAt(book32.limit());
            exponent = entries.mDEntryPx().exponent();
            onBookEntry(i, time, entries.securityID(), entries.mDEntryPx().mantissa(), entries.mDEntryPx().exponent(),
                entries.mDEntrySize(), entries.numberOfOrders(), entries.mDPriceLevel(),
                entries.mDUpdateActionRaw(), entries.mDEntryTypeRaw(), endOfEvent && i == count - 1);
        }
        final MDIncrementalRefreshBook32Decoder.NoOrderIDEntriesDecoder orders = book32.noOrderIDEntries();
        while (orders.hasNext())
        {
            orders.next();
            entryAt(book32.limit());
            onOrderEntry(time, count, orders.orderID(), orders.mDOrderPriority(), orders.mDDisplayQty(),
                orders.referenceID(), orders.orderUpdateActionRaw(), exponent);
        }
    }

    private void onBook46(final int blockLength, final int version)
    {
        book46.wrap(view, ROOT_OFFSET, blockLength, version);
        final long time = book46.transactTime();
        final boolean endOfEvent = book46.matchEventIndicator().endOfEvent();
        final MDIncrementalRefreshBook46Decoder.NoMDEntriesDecoder entries = book46.noMDEntries();
        final int count = entries.count();
        byte exponent = -9;
        for (int i = 0; i < count; i++)
        {
            entries.next();
            entryAt(book46.limit());
            exponent = entries.mDEntryPx().exponent();
            onBookEntry(i, time, entries.securityID(), entries.mDEntryPx().mantissa(), entries.mDEntryPx().exponent(),
                entries.mDEntrySize(), entries.numberOfOrders(), entries.mDPriceLevel(),
                entries.mDUpdateActionRaw(), entries.mDEntryTypeRaw(), endOfEvent && i == count - 1);
        }
        final MDIncrementalRefreshBook46Decoder.NoOrderIDEntriesDecoder orders = book46.noOrderIDEntries();
        while (orders.hasNext())
        {
            orders.next();
            entryAt(book46.limit());
            onOrderEntry(time, count, orders.orderID(), orders.mDOrderPriority(), orders.mDDisplayQty(),
                orders.referenceID(), orders.orderUpdateActionRaw(), exponent);
        }
    }

    /**
     * One MBP entry: a PriceLevelUpdate. Remembered for the order entries that may refer to it.
     */
    private void onBookEntry(
        final int index,
        final long time,
        final int securityId,
        final long priceMantissa,
        final byte exponent,
        final int size,
        final int numberOfOrders,
        final short level,
        final short action,
        final byte entryType,
        final boolean lastOfEvent)
    {
        final Side side = bookSide(entryType);
        if (index < MAX_ENTRIES)
        {
            entryPrice[index] = priceMantissa;
            entrySecurityId[index] = securityId;
            entrySide[index] = side.value();
        }
        if (Side.NONE == side)
        {
            return; // 'J' book reset: not a level, see the docs table.
        }
        final int instrumentId = instrumentFor(securityId, time, exponent);
        final short flags = (short)((lastOfEvent ? 1 : 0) | ('E' == entryType || 'F' == entryType ?
            EVENT_FLAG_IMPLIED : 0));
        final var update = encoders.priceLevelUpdate(instrumentId, sequence.next(), time, receiveTimeNs);
        update.side(side)
            .action(levelAction(action))
            .level(level)
            .eventFlags(flags);
        update.price().mantissa(priceMantissa).exponent(exponent);
        update.quantity(quantity(size)).orderCount(orderCount(numberOfOrders));
        encoders.publish(update);
    }

    /**
     * One order entry of an MBP message (MBO data riding on the book message): add, modify or delete, with price and
     * side from the MD entry it refers to (ReferenceID, 1-based).
     */
    private void onOrderEntry(
        final long time,
        final int entryCount,
        final long orderId,
        final long priority,
        final int displayQty,
        final short referenceId,
        final short action,
        final byte exponent)
    {
        final int ref = referenceId - 1;
        if (ref < 0 || ref >= entryCount || ref >= MAX_ENTRIES)
        {
            return; // no MD entry to take price and side from: nothing can be published faithfully.
        }
        final int instrumentId = instrumentFor(entrySecurityId[ref], time, exponent);
        final Side side = Side.get(entrySide[ref]);
        publishOrder(instrumentId, time, orderId, priority, side, entryPrice[ref], exponent, quantity(displayQty),
            action);
    }

    private void publishOrder(
        final int instrumentId,
        final long time,
        final long orderId,
        final long priority,
        final Side side,
        final long priceMantissa,
        final byte exponent,
        final long qty,
        final short action)
    {
        switch (action)
        {
            case 0:
            {
                final var add = encoders.addOrder(instrumentId, sequence.next(), time, receiveTimeNs);
                add.orderId(orderId).side(side);
                add.price().mantissa(priceMantissa).exponent(exponent);
                add.quantity(qty).putAttribution((byte)' ', (byte)' ', (byte)' ', (byte)' ');
                add.priority(priority(priority));
                encoders.publish(add);
                break;
            }
            case 1:
            {
                final var modify = encoders.modifyOrder(instrumentId, sequence.next(), time, receiveTimeNs);
                modify.orderId(orderId).newOrderId(orderId).side(side);
                modify.price().mantissa(priceMantissa).exponent(exponent);
                modify.quantity(qty).priority(priority(priority));
                encoders.publish(modify);
                break;
            }
            case 2:
                // CME deletes the order and says how much was displayed: that is what leaves the book.
                encoders.publish(encoders.cancelOrder(instrumentId, sequence.next(), time, receiveTimeNs)
                    .orderId(orderId)
                    .cancelledQuantity(qty)
                    .cancelType(CancelType.FULL));
                break;
            default:
                break;
        }
    }

    private void onOrderBook47(final int blockLength, final int version)
    {
        orderBook47.wrap(view, ROOT_OFFSET, blockLength, version);
        final long time = orderBook47.transactTime();
        final MDIncrementalRefreshOrderBook47Decoder.NoMDEntriesDecoder entries = orderBook47.noMDEntries();
        while (entries.hasNext())
        {
            entries.next();
            entryAt(orderBook47.limit());
            final Side side = bookSide(entries.mDEntryTypeRaw());
            if (Side.NONE == side)
            {
                continue;
            }
            final int instrumentId = instrumentFor(entries.securityID(), time, entries.mDEntryPx().exponent());
            publishOrder(instrumentId, time, entries.orderID(), entries.mDOrderPriority(), side,
                entries.mDEntryPx().mantissa(), entries.mDEntryPx().exponent(), quantity(entries.mDDisplayQty()),
                entries.mDUpdateActionRaw());
        }
    }

    private void onTrade42(final int blockLength, final int version)
    {
        trade42.wrap(view, ROOT_OFFSET, blockLength, version);
        final long time = trade42.transactTime();
        final MDIncrementalRefreshTradeSummary42Decoder.NoMDEntriesDecoder entries = trade42.noMDEntries();
        final int count = entries.count();
        byte exponent = -7;
        for (int i = 0; i < count; i++)
        {
            entries.next();
            entryAt(trade42.limit());
            exponent = entries.mDEntryPx().exponent();
            onTradeEntry(i, time, entries.securityID(), entries.mDEntryPx().mantissa(), exponent,
                entries.mDEntrySize(), entries.numberOfOrders(), entries.aggressorSideRaw(),
                entries.mDUpdateActionRaw(), entries.mDTradeEntryID());
        }
        final MDIncrementalRefreshTradeSummary42Decoder.NoOrderIDEntriesDecoder orders = trade42.noOrderIDEntries();
        executionTrade = 0;
        executionOrdersUsed = 0;
        while (orders.hasNext())
        {
            orders.next();
            entryAt(trade42.limit());
            onOrderExecution(time, nextExecutionTrade(count), orders.orderID(), orders.lastQty(), exponent);
        }
    }

    private void onTrade48(final int blockLength, final int version)
    {
        trade48.wrap(view, ROOT_OFFSET, blockLength, version);
        final long time = trade48.transactTime();
        final MDIncrementalRefreshTradeSummary48Decoder.NoMDEntriesDecoder entries = trade48.noMDEntries();
        final int count = entries.count();
        byte exponent = -9;
        for (int i = 0; i < count; i++)
        {
            entries.next();
            entryAt(trade48.limit());
            exponent = entries.mDEntryPx().exponent();
            onTradeEntry(i, time, entries.securityID(), entries.mDEntryPx().mantissa(), exponent,
                entries.mDEntrySize(), entries.numberOfOrders(), entries.aggressorSideRaw(),
                entries.mDUpdateActionRaw(), entries.mDTradeEntryID());
        }
        final MDIncrementalRefreshTradeSummary48Decoder.NoOrderIDEntriesDecoder orders = trade48.noOrderIDEntries();
        executionTrade = 0;
        executionOrdersUsed = 0;
        while (orders.hasNext())
        {
            orders.next();
            entryAt(trade48.limit());
            onOrderExecution(time, nextExecutionTrade(count), orders.orderID(), orders.lastQty(), exponent);
        }
    }

    private void onTradeEntry(
        final int index,
        final long time,
        final int securityId,
        final long priceMantissa,
        final byte exponent,
        final int size,
        final int numberOfOrders,
        final short aggressor,
        final short action,
        final long tradeEntryId)
    {
        final long tradeId = TRADE_ENTRY_ID_NULL == tradeEntryId ? 0 : tradeEntryId;
        if (index < MAX_ENTRIES)
        {
            entryPrice[index] = priceMantissa;
            entrySecurityId[index] = securityId;
            entryOrders[index] = INT32_NULL == numberOfOrders ? 0 : numberOfOrders;
            entryTradeId[index] = tradeId;
        }
        final int instrumentId = instrumentFor(securityId, time, exponent);
        final var trade = encoders.trade(instrumentId, sequence.next(), time, receiveTimeNs);
        trade.tradeId(tradeId);
        trade.price().mantissa(priceMantissa).exponent(exponent);
        trade.quantity(size)
            .aggressorSide(1 == aggressor ? Side.BUY : 2 == aggressor ? Side.SELL : Side.NONE)
            .tradeType(2 == action ? TradeType.BROKEN : TradeType.REGULAR)
            .saleConditions((short)0);
        encoders.publish(trade);
    }

    /**
     * The trade entry the next order entry of a trade summary belongs to: each trade entry takes as many order
     * entries as its NumberOfOrders says, in order.
     *
     * @param tradeCount trade entries in the message.
     * @return index of the trade entry, -1 when the trades announce fewer order entries than the message has.
     */
    private int nextExecutionTrade(final int tradeCount)
    {
        while (executionTrade < tradeCount && executionTrade < MAX_ENTRIES &&
            executionOrdersUsed >= entryOrders[executionTrade])
        {
            executionTrade++;
            executionOrdersUsed = 0;
        }
        executionOrdersUsed++;
        return executionTrade < tradeCount && executionTrade < MAX_ENTRIES ? executionTrade : -1;
    }

    /**
     * One order entry of a trade summary: the resting order's part of the trade it follows (NumberOfOrders of each
     * trade entry says how many order entries belong to it).
     */
    private void onOrderExecution(
        final long time, final int tradeIndex, final long orderId, final int lastQty, final byte exponent)
    {
        if (tradeIndex < 0)
        {
            return; // more order entries than the trades announce: nothing to attach them to.
        }
        final int instrumentId = instrumentFor(entrySecurityId[tradeIndex], time, exponent);
        final var execution = encoders.executeOrder(instrumentId, sequence.next(), time, receiveTimeNs);
        execution.orderId(orderId).executedQuantity(lastQty);
        execution.price().mantissa(entryPrice[tradeIndex]).exponent(exponent);
        // Not printable: CME prints the match once, as the trade entry (a Trade with tradeId = this matchId); the
        // order entries are every fill of it, the aggressor's first, so printing them would count the volume again.
        execution.matchId(entryTradeId[tradeIndex]).printable((short)0);
        encoders.publish(execution);
    }

    private void onVolume37(final int blockLength, final int version)
    {
        volume37.wrap(view, ROOT_OFFSET, blockLength, version);
        final long time = volume37.transactTime();
        final MDIncrementalRefreshVolume37Decoder.NoMDEntriesDecoder entries = volume37.noMDEntries();
        while (entries.hasNext())
        {
            entries.next();
            entryAt(volume37.limit());
            publishStatistic(entries.securityID(), time, (byte)-7, StatType.VOLUME, entries.mDUpdateActionRaw(),
                (byte)'e', (short)0, MessageEncoders.NULL_PRICE, entries.mDEntrySize(), 0);
        }
    }

    private void onSession35(final int blockLength, final int version)
    {
        session35.wrap(view, ROOT_OFFSET, blockLength, version);
        final long time = session35.transactTime();
        final MDIncrementalRefreshSessionStatistics35Decoder.NoMDEntriesDecoder entries = session35.noMDEntries();
        while (entries.hasNext())
        {
            entries.next();
            entryAt(session35.limit());
            final byte type = entries.mDEntryTypeRaw();
            final StatType stat = sessionStatType(type, entries.openCloseSettlFlagRaw());
            if (null != stat)
            {
                publishStatistic(entries.securityID(), time, (byte)-7, stat, entries.mDUpdateActionRaw(), type,
                    (short)0, entries.mDEntryPx().mantissa(), quantity(entries.mDEntrySize()), 0);
            }
        }
    }

    private void onSession51(final int blockLength, final int version)
    {
        session51.wrap(view, ROOT_OFFSET, blockLength, version);
        final long time = session51.transactTime();
        final MDIncrementalRefreshSessionStatistics51Decoder.NoMDEntriesDecoder entries = session51.noMDEntries();
        while (entries.hasNext())
        {
            entries.next();
            entryAt(session51.limit());
            final byte type = entries.mDEntryTypeRaw();
            final StatType stat = sessionStatType(type, entries.openCloseSettlFlagRaw());
            if (null != stat)
            {
                publishStatistic(entries.securityID(), time, (byte)-9, stat, entries.mDUpdateActionRaw(), type,
                    (short)0, entries.mDEntryPx().mantissa(), quantity(entries.mDEntrySize()), 0);
            }
        }
    }

    private void onDaily33(final int blockLength, final int version)
    {
        daily33.wrap(view, ROOT_OFFSET, blockLength, version);
        final long time = daily33.transactTime();
        final MDIncrementalRefreshDailyStatistics33Decoder.NoMDEntriesDecoder entries = daily33.noMDEntries();
        while (entries.hasNext())
        {
            entries.next();
            entryAt(daily33.limit());
            final byte type = entries.mDEntryTypeRaw();
            final StatType stat = dailyStatType(type);
            if (null != stat)
            {
                publishStatistic(entries.securityID(), time, (byte)-7, stat, entries.mDUpdateActionRaw(), type,
                    entries.settlPriceType().getRaw(), nullablePrice(entries.mDEntryPx().mantissa()),
                    quantity(entries.mDEntrySize()), tradingDateOrZero(entries.tradingReferenceDate()));
            }
        }
    }

    private void onDaily49(final int blockLength, final int version)
    {
        daily49.wrap(view, ROOT_OFFSET, blockLength, version);
        final long time = daily49.transactTime();
        final MDIncrementalRefreshDailyStatistics49Decoder.NoMDEntriesDecoder entries = daily49.noMDEntries();
        while (entries.hasNext())
        {
            entries.next();
            entryAt(daily49.limit());
            final byte type = entries.mDEntryTypeRaw();
            final StatType stat = dailyStatType(type);
            if (null != stat)
            {
                publishStatistic(entries.securityID(), time, (byte)-9, stat, entries.mDUpdateActionRaw(), type,
                    entries.settlPriceType().getRaw(), nullablePrice(entries.mDEntryPx().mantissa()),
                    quantity(entries.mDEntrySize()), tradingDateOrZero(entries.tradingReferenceDate()));
            }
        }
    }

    private void publishStatistic(
        final int securityId,
        final long time,
        final byte exponent,
        final StatType stat,
        final short action,
        final byte venueCode,
        final short qualifier,
        final long priceMantissa,
        final long quantity,
        final int tradingDate)
    {
        final int instrumentId = instrumentFor(securityId, time, exponent);
        final MarketStatisticEncoder statistic = encoders.marketStatistic(
            instrumentId, sequence.next(), time, receiveTimeNs);
        statistic.statType(stat)
            .action(2 == action ? LevelAction.DELETE : 1 == action ? LevelAction.CHANGE : LevelAction.NEW)
            .venueCode(venueCode)
            .qualifier(qualifier)
            .quantity(quantity)
            .tradingDate(tradingDate);
        statistic.price().mantissa(priceMantissa).exponent(MessageEncoders.NULL_PRICE == priceMantissa ? 0 : exponent);
        encoders.publish(statistic);
    }

    /**
     * @return the statistic of a session statistics entry (MDEntryType, OpenCloseSettlFlag), null for a type the
     * schema does not define.
     */
    private static StatType sessionStatType(final byte entryType, final short openCloseSettlFlag)
    {
        switch (entryType)
        {
            case '4':
                return 5 == openCloseSettlFlag ? StatType.INDICATIVE_OPEN : StatType.OPEN;
            case '7':
                return StatType.HIGH;
            case '8':
                return StatType.LOW;
            case 'N':
                return StatType.HIGHEST_BID;
            case 'O':
                return StatType.LOWEST_OFFER;
            default:
                return null;
        }
    }

    /**
     * @return the statistic of a daily statistics entry (MDEntryType), null for a type the schema does not define.
     */
    private static StatType dailyStatType(final byte entryType)
    {
        switch (entryType)
        {
            case '6':
                return StatType.SETTLEMENT;
            case 'B':
                return StatType.CLEARED_VOLUME;
            case 'C':
                return StatType.OPEN_INTEREST;
            case 'W':
                return StatType.FIXING;
            default:
                return null;
        }
    }

    /** @return a PRICENULL mantissa, {@link MessageEncoders#NULL_PRICE} when null (Long.MAX_VALUE at CME). */
    private static long nullablePrice(final long mantissa)
    {
        return Long.MAX_VALUE == mantissa ? MessageEncoders.NULL_PRICE : mantissa;
    }

    /** @return a LocalMktDate as YYYYMMDD, 0 when null. */
    private static int tradingDateOrZero(final int localMktDate)
    {
        if (localMktDate <= 0 || localMktDate >= 0xFFFF)
        {
            return 0;
        }
        final java.time.LocalDate date = java.time.LocalDate.ofEpochDay(localMktDate);
        return date.getYear() * 10_000 + date.getMonthValue() * 100 + date.getDayOfMonth();
    }

    /** @return an MDOrderPriority, the Tickbus null when CME's uInt64NULL. */
    private static long priority(final long mdOrderPriority)
    {
        return -1L == mdOrderPriority ? io.tickbus.sbe.AddOrderEncoder.priorityNullValue() : mdOrderPriority;
    }

    private void onSecurityStatus(final int blockLength, final int version)
    {
        status30.wrap(view, ROOT_OFFSET, blockLength, version);
        final long time = status30.transactTime();
        final int securityId = status30.securityID();
        final int instrumentId = SecurityStatus30Decoder.securityIDNullValue() == securityId ? 0 :
            instrumentFor(securityId, time, (byte)-9);
        final short status = status30.securityTradingStatusRaw();
        final int group = ROOT_OFFSET + SecurityStatus30Decoder.securityGroupEncodingOffset();
        encoders.publish(encoders.tradingStatus(instrumentId, sequence.next(), time, receiveTimeNs)
            .state(tradingState(status))
            .venueCode((byte)status)
            .putReason(view.getByte(group), view.getByte(group + 1), view.getByte(group + 2),
                view.getByte(group + 3)));
    }

    private void onSnapshot38(final int blockLength, final int version)
    {
        snapshot38.wrap(view, ROOT_OFFSET, blockLength, version);
        final long time = snapshot38.transactTime();
        final SnapshotFullRefresh38Decoder.NoMDEntriesDecoder entries = snapshot38.noMDEntries();
        int levels = 0;
        while (entries.hasNext())
        {
            levels += Side.NONE == snapshotSide(entries.next().mDEntryTypeRaw()) ? 0 : 1;
        }
        final BookSnapshotEncoder snapshot = bookSnapshot(
            snapshot38.securityID(), time, snapshot38.lastMsgSeqNumProcessed(), (byte)-7);
        final BookSnapshotEncoder.LevelsEncoder out = snapshot.levelsCount(levels);
        snapshot38.wrap(view, ROOT_OFFSET, blockLength, version);
        final SnapshotFullRefresh38Decoder.NoMDEntriesDecoder again = snapshot38.noMDEntries();
        while (again.hasNext())
        {
            again.next();
            final Side side = snapshotSide(again.mDEntryTypeRaw());
            if (Side.NONE != side)
            {
                out.next().side(side).price(again.mDEntryPx().mantissa())
                    .quantity(quantity(again.mDEntrySize()))
                    .orderCount(orderCount(again.numberOfOrders()));
            }
        }
        encoders.publish(snapshot);
    }

    private void onSnapshot52(final int blockLength, final int version)
    {
        snapshot52.wrap(view, ROOT_OFFSET, blockLength, version);
        final long time = snapshot52.transactTime();
        final SnapshotFullRefresh52Decoder.NoMDEntriesDecoder entries = snapshot52.noMDEntries();
        int levels = 0;
        while (entries.hasNext())
        {
            levels += Side.NONE == snapshotSide(entries.next().mDEntryTypeRaw()) ? 0 : 1;
        }
        final BookSnapshotEncoder snapshot = bookSnapshot(
            snapshot52.securityID(), time, snapshot52.lastMsgSeqNumProcessed(), (byte)-9);
        final BookSnapshotEncoder.LevelsEncoder out = snapshot.levelsCount(levels);
        snapshot52.wrap(view, ROOT_OFFSET, blockLength, version);
        final SnapshotFullRefresh52Decoder.NoMDEntriesDecoder again = snapshot52.noMDEntries();
        while (again.hasNext())
        {
            again.next();
            final Side side = snapshotSide(again.mDEntryTypeRaw());
            if (Side.NONE != side)
            {
                out.next().side(side).price(again.mDEntryPx().mantissa())
                    .quantity(quantity(again.mDEntrySize()))
                    .orderCount(orderCount(again.numberOfOrders()));
            }
        }
        encoders.publish(snapshot);
    }

    /**
     * A BookSnapshot of a security, its fixed fields filled, for the caller to fill the levels.
     */
    private BookSnapshotEncoder bookSnapshot(
        final int securityId, final long time, final long lastMsgSeqNumProcessed, final byte exponent)
    {
        final int instrumentId = instrumentFor(securityId, time, exponent);
        return encoders.bookSnapshot(instrumentId, sequence.next(), time, receiveTimeNs)
            .lastSourceSeq(lastMsgSeqNumProcessed)
            .priceExponent(exponent);
    }

    private void onFuture27(final int blockLength, final int version)
    {
        future27.wrap(view, ROOT_OFFSET, blockLength, version);
        define(future27.securityID(), future27.lastUpdateTime(), future27.offset() +
            MDInstrumentDefinitionFuture27Decoder.symbolEncodingOffset(), SecurityType.FUTURE, (byte)-7,
            future27.minTradeVol(), future27.minPriceIncrement().mantissa(), future27.tradingReferenceDate(),
            future27.displayFactor().mantissa(), (byte)-7);
    }

    private void onSpread29(final int blockLength, final int version)
    {
        spread29.wrap(view, ROOT_OFFSET, blockLength, version);
        define(spread29.securityID(), spread29.lastUpdateTime(), spread29.offset() +
            MDInstrumentDefinitionSpread29Decoder.symbolEncodingOffset(), SecurityType.SPREAD, (byte)-7,
            spread29.minTradeVol(), spread29.minPriceIncrement().mantissa(), spread29.tradingReferenceDate(),
            spread29.displayFactor().mantissa(), (byte)-7);
    }

    private void onOption41(final int blockLength, final int version)
    {
        option41.wrap(view, ROOT_OFFSET, blockLength, version);
        define(option41.securityID(), option41.lastUpdateTime(), option41.offset() +
            MDInstrumentDefinitionOption41Decoder.symbolEncodingOffset(), SecurityType.OPTION, (byte)-7,
            option41.minTradeVol(), option41.minPriceIncrement().mantissa(), option41.tradingReferenceDate(),
            option41.displayFactor().mantissa(), (byte)-7);
    }

    private void onFuture54(final int blockLength, final int version)
    {
        future54.wrap(view, ROOT_OFFSET, blockLength, version);
        define(future54.securityID(), future54.lastUpdateTime(), future54.offset() +
            MDInstrumentDefinitionFuture54Decoder.symbolEncodingOffset(), SecurityType.FUTURE, (byte)-9,
            future54.minTradeVol(), future54.minPriceIncrement().mantissa(), future54.tradingReferenceDate(),
            future54.displayFactor().mantissa(), (byte)-9);
    }

    private void onOption55(final int blockLength, final int version)
    {
        option55.wrap(view, ROOT_OFFSET, blockLength, version);
        define(option55.securityID(), option55.lastUpdateTime(), option55.offset() +
            MDInstrumentDefinitionOption55Decoder.symbolEncodingOffset(), SecurityType.OPTION, (byte)-9,
            option55.minTradeVol(), option55.minPriceIncrement().mantissa(), option55.tradingReferenceDate(),
            option55.displayFactor().mantissa(), (byte)-9);
    }

    private void onSpread56(final int blockLength, final int version)
    {
        spread56.wrap(view, ROOT_OFFSET, blockLength, version);
        define(spread56.securityID(), spread56.lastUpdateTime(), spread56.offset() +
            MDInstrumentDefinitionSpread56Decoder.symbolEncodingOffset(), SecurityType.SPREAD, (byte)-9,
            spread56.minTradeVol(), spread56.minPriceIncrement().mantissa(), spread56.tradingReferenceDate(),
            spread56.displayFactor().mantissa(), (byte)-9);
    }

    /**
     * Publish an InstrumentDefinition from a CME security definition (the symbol is 20 characters at CME, 16 in
     * Tickbus: longer symbols are cut, the security id stays the key).
     */
    private void define(
        final int securityId,
        final long lastUpdateTime,
        final int symbolOffset,
        final SecurityType type,
        final byte exponent,
        final long minTradeVol,
        final long minPriceIncrement,
        final int tradingReferenceDate,
        final long displayFactorMantissa,
        final byte displayFactorExponent)
    {
        if (securityId <= 0)
        {
            return;
        }
        final long time = 0 == lastUpdateTime ? sendingTimeNs : lastUpdateTime;
        instrumentIds.put(securityId, view, symbolOffset, 20);
        final InstrumentDefinitionEncoder definition = encoders.instrumentDefinition(
            securityId, sequence.next(), time, receiveTimeNs);
        MessageEncoders.symbol(definition, view, symbolOffset, 20)
            .securityType(type)
            .priceExponent(exponent)
            .lotSize((int)Math.min(Math.max(minTradeVol, 0), Integer.MAX_VALUE))
            .tickSize(Long.MAX_VALUE == minPriceIncrement ? 0 : minPriceIncrement)
            .tradingDate(tradingDate(tradingReferenceDate, time));
        if (Long.MAX_VALUE != displayFactorMantissa && Long.MIN_VALUE != displayFactorMantissa)
        {
            definition.displayFactorMantissa(displayFactorMantissa).displayFactorExponent(displayFactorExponent);
        }
        encoders.publish(definition);
        instrumentIds.markDefined(securityId);
    }

    /**
     * The security's instrument id (its CME security id); a minimal definition first when none was published.
     */
    private int instrumentFor(final int securityId, final long time, final byte exponent)
    {
        if (securityId <= 0)
        {
            return 0;
        }
        if (!instrumentIds.isDefined(securityId))
        {
            final InstrumentDefinitionEncoder definition = encoders.instrumentDefinition(
                securityId, sequence.definition(), time, receiveTimeNs);
            MessageEncoders.symbol(definition, view, 0, 0)
                .securityType(SecurityType.UNKNOWN)
                .priceExponent(exponent)
                .lotSize(0)
                .tickSize(0)
                .tradingDate(dateClock.tradingDate(time));
            encoders.publish(definition);
            instrumentIds.markDefined(securityId);
        }
        return securityId;
    }

    /**
     * @param localMktDate CME LocalMktDate: days since 1970-01-01, 65535 when null.
     */
    private int tradingDate(final int localMktDate, final long time)
    {
        if (localMktDate <= 0 || localMktDate >= 0xFFFF)
        {
            return dateClock.tradingDate(time);
        }
        final java.time.LocalDate date = java.time.LocalDate.ofEpochDay(localMktDate);
        return date.getYear() * 10_000 + date.getMonthValue() * 100 + date.getDayOfMonth();
    }

    /**
     * @param size an MDEntrySize or MDDisplayQty (Int32NULL: null is 2147483647).
     * @return the quantity, 0 when null.
     */
    private static int quantity(final int size)
    {
        return INT32_NULL == size ? 0 : size;
    }

    /**
     * @param numberOfOrders a NumberOfOrders (Int32NULL: null is 2147483647).
     * @return the order count, -1 (unknown) when null.
     */
    private static int orderCount(final int numberOfOrders)
    {
        return INT32_NULL == numberOfOrders ? -1 : numberOfOrders;
    }

    private static Side bookSide(final byte entryType)
    {
        switch (entryType)
        {
            case '0':
            case 'E':
                return Side.BUY;
            case '1':
            case 'F':
                return Side.SELL;
            default:
                return Side.NONE;
        }
    }

    private static Side snapshotSide(final byte entryType)
    {
        switch (entryType)
        {
            case '0':
                return Side.BUY;
            case '1':
                return Side.SELL;
            default:
                return Side.NONE;
        }
    }

    private static LevelAction levelAction(final short action)
    {
        switch (action)
        {
            case 0:
                return LevelAction.NEW;
            case 1:
                return LevelAction.CHANGE;
            case 5:
                return LevelAction.OVERLAY;
            default:
                return LevelAction.DELETE; // 2 delete; 3 delete thru and 4 delete from, see the docs table.
        }
    }

    private static TradingState tradingState(final short status)
    {
        switch (status)
        {
            case 2:
            case 18:
                return TradingState.HALTED;
            case 4:
            case 26:
                return TradingState.CLOSED;
            case 15:
            case 21:
            case 24:
                return TradingState.PRE_OPEN;
            case 17:
                return TradingState.TRADING;
            case 25:
                return TradingState.OPENING_AUCTION;
            default:
                return TradingState.UNKNOWN;
        }
    }
}
