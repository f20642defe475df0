package io.tickbus.feed.cme;

import io.tickbus.feed.DecoderContext;
import io.tickbus.feed.DerivedSequence;
import io.tickbus.feed.FeedStats;
import io.tickbus.feed.InstrumentIds;
import io.tickbus.feed.MessageEncoders;
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
import io.tickbus.feed.cme.mdp3.MessageHeaderDecoder;
import io.tickbus.feed.cme.mdp3.SecurityStatus30Decoder;
import io.tickbus.feed.cme.mdp3.SnapshotFullRefresh38Decoder;
import io.tickbus.feed.cme.mdp3.SnapshotFullRefresh52Decoder;
import io.tickbus.sbe.BookSnapshotEncoder;
import io.tickbus.sbe.CancelType;
import io.tickbus.sbe.GapReason;
import io.tickbus.sbe.LevelAction;
import io.tickbus.sbe.MarketStatisticEncoder;
import io.tickbus.sbe.StatType;
import io.tickbus.sbe.Side;
import io.tickbus.sbe.TradeType;
import io.tickbus.sbe.TradingState;
import io.tickbus.sbe.Venue;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.sbe.MessageDecoderFlyweight;

import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * Decodes one MDP 3.0 message with the decoders generated at build time from CME's schema (version 9, see
 * src/main/resources/cme/README.md), counts it, and publishes its normalized Tickbus messages: book, order, trade,
 * statistics, trading status and snapshot (mapping in docs/feed-handlers-iex-cme.md); security definitions go to
 * {@link Mdp3Definitions}.
 * <p>
 * Each message is decoded with its own header's block length and version as acting block length and acting
 * version, so the v5 and v8 messages of older captures decode with the v9 decoders (fields a later version appended
 * read as null). Its groups are walked with {@link Mdp3Layout#check} first; a message that fails the check, or is of
 * another schema, is counted malformed and skipped alone. Each output is numbered by the byte position in the packet
 * of its message or group entry ({@link DerivedSequence#element(int)}).
 * <p>
 * Threading: one thread. Allocation: decoders at construction; none per message in steady state.
 */
public final class Mdp3Normalizer
{
    /** MDP3 schema id in every message header. */
    public static final int SCHEMA_ID = MessageHeaderDecoder.SCHEMA_ID;
    /** eventFlags bit of a PriceLevelUpdate: the entry is from the implied book (CME MDEntryType E / F). */
    public static final short EVENT_FLAG_IMPLIED = 2;
    /** Price exponent of the PRICE and PRICENULL types (templates of schema version 8 and older). */
    public static final byte PRICE_EXPONENT = -7;
    /** Price exponent of the PRICE9 and PRICENULL9 types (templates of schema version 9). */
    public static final byte PRICE9_EXPONENT = -9;
    /** Offset of a message's root block within the message (after its size field and SBE header). */
    public static final int ROOT_OFFSET = Mdp3PacketDecoder.MESSAGE_SIZE_LENGTH + MessageHeaderDecoder.ENCODED_LENGTH;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
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
    private final DerivedSequence sequence = new DerivedSequence();
    private final Mdp3Definitions definitions;
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

    // Per-entry state of the message being mapped, for order entries that refer back to MD entries.
    private final long[] entryPrice = new long[MAX_ENTRIES];
    private final int[] entrySecurityId = new int[MAX_ENTRIES];
    private final byte[] entrySide = new byte[MAX_ENTRIES];
    private final int[] entryOrders = new int[MAX_ENTRIES];
    private final long[] entryTradeId = new long[MAX_ENTRIES];

    // Which trade entry the order entries of a trade summary are being attached to, see nextExecutionTrade.
    private int executionTrade;
    private int executionOrdersUsed;

    // The message whose group entries are being mapped, see eachEntry.
    private long transactTime;
    private boolean bookEndsEvent;
    private int entryIndex;
    private int mdEntryCount;

    // Each entry of a group, mapped by eachEntry: bound once here, so mapping allocates nothing.
    private final Consumer<MDIncrementalRefreshBook32Decoder.NoMDEntriesDecoder> book32Entry = (e) -> onBookEntry(
        e.securityID(), e.mDEntryPx().mantissa(), PRICE_EXPONENT, e.mDEntrySize(), e.numberOfOrders(),
        e.mDPriceLevel(), e.mDUpdateActionRaw(), e.mDEntryTypeRaw(), !e.hasNext());
    private final Consumer<MDIncrementalRefreshBook46Decoder.NoMDEntriesDecoder> book46Entry = (e) -> onBookEntry(
        e.securityID(), e.mDEntryPx().mantissa(), PRICE9_EXPONENT, e.mDEntrySize(), e.numberOfOrders(),
        e.mDPriceLevel(), e.mDUpdateActionRaw(), e.mDEntryTypeRaw(), !e.hasNext());
    private final Consumer<MDIncrementalRefreshBook32Decoder.NoOrderIDEntriesDecoder> book32Order = (o) ->
        onOrderEntry(o.orderID(), o.mDOrderPriority(), o.mDDisplayQty(), o.referenceID(), o.orderUpdateActionRaw(),
        PRICE_EXPONENT);
    private final Consumer<MDIncrementalRefreshBook46Decoder.NoOrderIDEntriesDecoder> book46Order = (o) ->
        onOrderEntry(o.orderID(), o.mDOrderPriority(), o.mDDisplayQty(), o.referenceID(), o.orderUpdateActionRaw(),
        PRICE9_EXPONENT);
    private final Consumer<MDIncrementalRefreshOrderBook47Decoder.NoMDEntriesDecoder> orderBook47Entry =
        this::onOrderBook47Entry;
    private final Consumer<MDIncrementalRefreshVolume37Decoder.NoMDEntriesDecoder> volume37Entry =
        this::onVolumeEntry;
    private final Consumer<MDIncrementalRefreshTradeSummary42Decoder.NoMDEntriesDecoder> trade42Entry = (e) ->
        onTradeEntry(e.securityID(), e.mDEntryPx().mantissa(), PRICE_EXPONENT, e.mDEntrySize(), e.numberOfOrders(),
        e.aggressorSideRaw(), e.mDUpdateActionRaw(), e.mDTradeEntryID());
    private final Consumer<MDIncrementalRefreshTradeSummary48Decoder.NoMDEntriesDecoder> trade48Entry = (e) ->
        onTradeEntry(e.securityID(), e.mDEntryPx().mantissa(), PRICE9_EXPONENT, e.mDEntrySize(), e.numberOfOrders(),
        e.aggressorSideRaw(), e.mDUpdateActionRaw(), e.mDTradeEntryID());
    private final Consumer<MDIncrementalRefreshTradeSummary42Decoder.NoOrderIDEntriesDecoder> trade42Order = (o) ->
        onOrderExecution(o.orderID(), o.lastQty(), PRICE_EXPONENT);
    private final Consumer<MDIncrementalRefreshTradeSummary48Decoder.NoOrderIDEntriesDecoder> trade48Order = (o) ->
        onOrderExecution(o.orderID(), o.lastQty(), PRICE9_EXPONENT);
    private final Consumer<MDIncrementalRefreshSessionStatistics35Decoder.NoMDEntriesDecoder> session35Entry = (e) ->
        onSessionStatistic(e.securityID(), PRICE_EXPONENT, e.mDEntryTypeRaw(), e.openCloseSettlFlagRaw(),
        e.mDUpdateActionRaw(), e.mDEntryPx().mantissa(), e.mDEntrySize());
    private final Consumer<MDIncrementalRefreshSessionStatistics51Decoder.NoMDEntriesDecoder> session51Entry = (e) ->
        onSessionStatistic(e.securityID(), PRICE9_EXPONENT, e.mDEntryTypeRaw(), e.openCloseSettlFlagRaw(),
        e.mDUpdateActionRaw(), e.mDEntryPx().mantissa(), e.mDEntrySize());
    private final Consumer<MDIncrementalRefreshDailyStatistics33Decoder.NoMDEntriesDecoder> daily33Entry = (e) ->
        onDailyStatistic(e.securityID(), PRICE_EXPONENT, e.mDEntryTypeRaw(), e.mDUpdateActionRaw(),
        e.settlPriceType().getRaw(), e.mDEntryPx().mantissa(), e.mDEntrySize(), e.tradingReferenceDate());
    private final Consumer<MDIncrementalRefreshDailyStatistics49Decoder.NoMDEntriesDecoder> daily49Entry = (e) ->
        onDailyStatistic(e.securityID(), PRICE9_EXPONENT, e.mDEntryTypeRaw(), e.mDUpdateActionRaw(),
        e.settlPriceType().getRaw(), e.mDEntryPx().mantissa(), e.mDEntrySize(), e.tradingReferenceDate());

    // The packet and message being mapped.
    private long sendingTimeNs;
    private long receiveTimeNs;
    private int messagePosition;

    /**
     * @param ctx sink, stats and feed id (concluded here).
     */
    public Mdp3Normalizer(final DecoderContext ctx)
    {
        ctx.conclude();
        this.stats = ctx.stats();
        this.encoders = new MessageEncoders(ctx.sink(), ctx.stats(), ctx.feedId(), Venue.CME);
        this.definitions = new Mdp3Definitions(encoders, sequence);
    }

    /** @return the encoders this normalizer publishes with (and their publish counts). */
    public MessageEncoders encoders()
    {
        return encoders;
    }

    /**
     * @return the source sequences of published messages ({@code packetSeq << 16 | position << 3 | role}), shared
     * with the gap and reset notices the packet decoder publishes.
     */
    public DerivedSequence sequence()
    {
        return sequence;
    }

    /** @return the security definitions seen so far. */
    public Mdp3Definitions definitions()
    {
        return definitions;
    }

    /** @return security ids with a definition, and their symbols. */
    public InstrumentIds instrumentIds()
    {
        return definitions.instrumentIds();
    }

    /**
     * Start the messages of a packet whose sequence was accepted.
     *
     * @param sendingTimeNs the packet's sending time, epoch ns.
     * @param receiveTimeNs receive time, epoch ns.
     */
    public void beginPacket(final long sendingTimeNs, final long receiveTimeNs)
    {
        this.sendingTimeNs = sendingTimeNs;
        this.receiveTimeNs = receiveTimeNs;
    }

    /**
     * Decode, check, count and publish one message of the packet begun with {@link #beginPacket}.
     *
     * @param buffer holding the packet.
     * @param offset of the message's size field.
     * @param size of the message, as framed (at least {@link #ROOT_OFFSET}).
     * @param positionInPacket byte offset of the message in its packet, for numbering.
     * @param packetNumber for error reports.
     * @param fileOffset for error reports, -1 when live.
     * @return true when the message carried data (anything but an admin heartbeat).
     */
    public boolean onMessage(
        final DirectBuffer buffer,
        final int offset,
        final int size,
        final int positionInPacket,
        final long packetNumber,
        final long fileOffset)
    {
        messagePosition = positionInPacket;
        sequence.element(messagePosition + 1);
        view.wrap(buffer, offset, size);
        header.wrap(view, Mdp3PacketDecoder.MESSAGE_SIZE_LENGTH);
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
        this.transactTime = transactTime; // each group entry's time, see eachEntry
        switch (templateId)
        {
            case 4:
                encoders.publishGapNotice(sequence.next(), transactTime, receiveTimeNs, 0, 0, GapReason.SEQUENCE_RESET);
                return true;
            case 12:
                encoders.publish(encoders.heartbeat(sequence.next(), sendingTimeNs, receiveTimeNs));
                return false;
            case 27:
            case 29:
            case 41:
            case 54:
            case 55:
            case 56:
                definitions.onDefinition(view, templateId, blockLength, version, sendingTimeNs, receiveTimeNs);
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
                eachEntry(orderBook47, orderBook47.wrap(view, ROOT_OFFSET, blockLength, version).noMDEntries(),
                    orderBook47Entry);
                return true;
            case 42:
                onTrade42(blockLength, version);
                return true;
            case 48:
                onTrade48(blockLength, version);
                return true;
            case 33:
                eachEntry(daily33, daily33.wrap(view, ROOT_OFFSET, blockLength, version).noMDEntries(), daily33Entry);
                return true;
            case 49:
                eachEntry(daily49, daily49.wrap(view, ROOT_OFFSET, blockLength, version).noMDEntries(), daily49Entry);
                return true;
            case 35:
                eachEntry(session35, session35.wrap(view, ROOT_OFFSET, blockLength, version).noMDEntries(),
                    session35Entry);
                return true;
            case 51:
                eachEntry(session51, session51.wrap(view, ROOT_OFFSET, blockLength, version).noMDEntries(),
                    session51Entry);
                return true;
            case 37:
                eachEntry(volume37, volume37.wrap(view, ROOT_OFFSET, blockLength, version).noMDEntries(),
                    volume37Entry);
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

    /**
     * Map each entry of a group of the current message in turn, numbering what it publishes by the entry's place in
     * the packet ({@link #entryAt}); {@link #entryIndex} is the entry's index meanwhile.
     *
     * @param message the message decoder the group belongs to (its limit is past the entry being mapped).
     * @param entries the group, not yet iterated.
     * @param onEntry maps one entry: bound once at construction, so this allocates nothing.
     * @return the number of entries in the group.
     */
    private <E extends Iterator<E>> int eachEntry(
        final MessageDecoderFlyweight message, final E entries, final Consumer<E> onEntry)
    {
        entryIndex = 0;
        while (entries.hasNext())
        {
            entries.next();
            entryAt(message.offset() + message.encodedLength());
            onEntry.accept(entries);
            entryIndex++;
        }
        return entryIndex;
    }

    private void onBook32(final int blockLength, final int version)
    {
        book32.wrap(view, ROOT_OFFSET, blockLength, version);
        bookEndsEvent = book32.matchEventIndicator().endOfEvent();
        mdEntryCount = eachEntry(book32, book32.noMDEntries(), book32Entry);
        eachEntry(book32, book32.noOrderIDEntries(), book32Order);
    }

    private void onBook46(final int blockLength, final int version)
    {
        book46.wrap(view, ROOT_OFFSET, blockLength, version);
        bookEndsEvent = book46.matchEventIndicator().endOfEvent();
        mdEntryCount = eachEntry(book46, book46.noMDEntries(), book46Entry);
        eachEntry(book46, book46.noOrderIDEntries(), book46Order);
    }

    /**
     * One MBP entry (template 32 or 46): a PriceLevelUpdate. Remembered for the order entries that may refer to it.
     *
     * @param last true for the last entry of the message.
     */
    private void onBookEntry(
        final int securityId,
        final long priceMantissa,
        final byte exponent,
        final int size,
        final int numberOfOrders,
        final short level,
        final short action,
        final byte entryType,
        final boolean last)
    {
        final int index = entryIndex;
        final long time = transactTime;
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
        final short flags = (short)((bookEndsEvent && last ? 1 : 0) | ('E' == entryType || 'F' == entryType ?
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
        final long orderId,
        final long priority,
        final int displayQty,
        final short referenceId,
        final short action,
        final byte exponent)
    {
        final int ref = referenceId - 1;
        if (ref < 0 || ref >= mdEntryCount || ref >= MAX_ENTRIES)
        {
            return; // no MD entry to take price and side from: nothing can be published faithfully.
        }
        final long time = transactTime;
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

    private void onOrderBook47Entry(final MDIncrementalRefreshOrderBook47Decoder.NoMDEntriesDecoder entry)
    {
        final Side side = bookSide(entry.mDEntryTypeRaw());
        if (Side.NONE == side)
        {
            return;
        }
        final long time = transactTime;
        final int instrumentId = instrumentFor(entry.securityID(), time, entry.mDEntryPx().exponent());
        publishOrder(instrumentId, time, entry.orderID(), entry.mDOrderPriority(), side,
            entry.mDEntryPx().mantissa(), entry.mDEntryPx().exponent(), quantity(entry.mDDisplayQty()),
            entry.mDUpdateActionRaw());
    }

    private void onTrade42(final int blockLength, final int version)
    {
        trade42.wrap(view, ROOT_OFFSET, blockLength, version);
        mdEntryCount = eachEntry(trade42, trade42.noMDEntries(), trade42Entry);
        beginExecutions();
        eachEntry(trade42, trade42.noOrderIDEntries(), trade42Order);
    }

    private void onTrade48(final int blockLength, final int version)
    {
        trade48.wrap(view, ROOT_OFFSET, blockLength, version);
        mdEntryCount = eachEntry(trade48, trade48.noMDEntries(), trade48Entry);
        beginExecutions();
        eachEntry(trade48, trade48.noOrderIDEntries(), trade48Order);
    }

    /**
     * One trade entry of a trade summary (template 42 or 48): a Trade. Remembered for the order entries that follow.
     */
    private void onTradeEntry(
        final int securityId,
        final long priceMantissa,
        final byte exponent,
        final int size,
        final int numberOfOrders,
        final short aggressor,
        final short action,
        final long tradeEntryId)
    {
        final int index = entryIndex;
        final long tradeId = TRADE_ENTRY_ID_NULL == tradeEntryId ? 0 : tradeEntryId;
        if (index < MAX_ENTRIES)
        {
            entryPrice[index] = priceMantissa;
            entrySecurityId[index] = securityId;
            entryOrders[index] = INT32_NULL == numberOfOrders ? 0 : numberOfOrders;
            entryTradeId[index] = tradeId;
        }
        final long time = transactTime;
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
     * Start attaching the order entries of a trade summary to its trade entries, see {@link #nextExecutionTrade()}.
     */
    private void beginExecutions()
    {
        executionTrade = 0;
        executionOrdersUsed = 0;
    }

    /**
     * The trade entry the next order entry of a trade summary belongs to: each trade entry takes as many order
     * entries as its NumberOfOrders says, in order.
     *
     * @return index of the trade entry, -1 when the trades announce fewer order entries than the message has.
     */
    private int nextExecutionTrade()
    {
        final int tradeCount = mdEntryCount;
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
    private void onOrderExecution(final long orderId, final int lastQty, final byte exponent)
    {
        final int tradeIndex = nextExecutionTrade();
        if (tradeIndex < 0)
        {
            return; // more order entries than the trades announce: nothing to attach them to.
        }
        final long time = transactTime;
        final int instrumentId = instrumentFor(entrySecurityId[tradeIndex], time, exponent);
        final var execution = encoders.executeOrder(instrumentId, sequence.next(), time, receiveTimeNs);
        execution.orderId(orderId).executedQuantity(lastQty);
        execution.price().mantissa(entryPrice[tradeIndex]).exponent(exponent);
        // Not printable: CME prints the match once, as the trade entry (a Trade with tradeId = this matchId); the
        // order entries are every fill of it, the aggressor's first, so printing them would count the volume again.
        execution.matchId(entryTradeId[tradeIndex]).printable((short)0);
        encoders.publish(execution);
    }

    private void onVolumeEntry(final MDIncrementalRefreshVolume37Decoder.NoMDEntriesDecoder entry)
    {
        publishStatistic(entry.securityID(), PRICE_EXPONENT, StatType.VOLUME, entry.mDUpdateActionRaw(), (byte)'e',
            (short)0, MessageEncoders.NULL_PRICE, entry.mDEntrySize(), 0);
    }

    /**
     * One session statistics entry (template 35 or 51): published when the schema defines its type.
     */
    private void onSessionStatistic(
        final int securityId,
        final byte exponent,
        final byte entryType,
        final short openCloseSettlFlag,
        final short action,
        final long priceMantissa,
        final int size)
    {
        final StatType stat = sessionStatType(entryType, openCloseSettlFlag);
        if (null != stat)
        {
            publishStatistic(securityId, exponent, stat, action, entryType, (short)0, priceMantissa, quantity(size), 0);
        }
    }

    /**
     * One daily statistics entry (template 33 or 49): published when the schema defines its type.
     */
    private void onDailyStatistic(
        final int securityId,
        final byte exponent,
        final byte entryType,
        final short action,
        final short settlPriceType,
        final long priceMantissa,
        final int size,
        final int tradingReferenceDate)
    {
        final StatType stat = dailyStatType(entryType);
        if (null != stat)
        {
            publishStatistic(securityId, exponent, stat, action, entryType, settlPriceType,
                nullablePrice(priceMantissa), quantity(size), Mdp3Definitions.yyyymmddOrZero(tradingReferenceDate));
        }
    }

    private void publishStatistic(
        final int securityId,
        final byte exponent,
        final StatType stat,
        final short action,
        final byte venueCode,
        final short qualifier,
        final long priceMantissa,
        final long quantity,
        final int tradingDate)
    {
        final long time = transactTime;
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

    /**
     * The security's instrument id, see {@link Mdp3Definitions#instrumentFor}.
     */
    private int instrumentFor(final int securityId, final long time, final byte exponent)
    {
        return definitions.instrumentFor(securityId, time, exponent, receiveTimeNs);
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
