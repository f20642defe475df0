package io.tickbus.client;

import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.tickbus.sbe.AddOrderDecoder;
import io.tickbus.sbe.CancelType;
import io.tickbus.sbe.CommonDecoder;
import io.tickbus.sbe.GapReason;
import io.tickbus.sbe.LevelAction;
import io.tickbus.sbe.SecurityType;
import io.tickbus.sbe.Side;
import io.tickbus.sbe.TradeType;
import io.tickbus.sbe.TradingState;
import io.tickbus.sbe.Venue;
import io.tickbus.sbe.BookSnapshotDecoder;
import io.tickbus.sbe.CancelOrderDecoder;
import io.tickbus.sbe.EndOfSessionDecoder;
import io.tickbus.sbe.ExecuteOrderDecoder;
import io.tickbus.sbe.GapNoticeDecoder;
import io.tickbus.sbe.HeartbeatDecoder;
import io.tickbus.sbe.InstrumentDefinitionDecoder;
import io.tickbus.sbe.MarketStatisticDecoder;
import io.tickbus.sbe.StatType;
import io.tickbus.sbe.MessageHeaderDecoder;
import io.tickbus.sbe.ModifyOrderDecoder;
import io.tickbus.sbe.PriceLevelUpdateDecoder;
import io.tickbus.sbe.TopOfBookDecoder;
import io.tickbus.sbe.TradeDecoder;
import io.tickbus.sbe.TradingStatusDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.status.AtomicCounter;

import java.util.function.IntConsumer;

/**
 * Decodes whole Tickbus messages and calls the matching {@link MarketDataListener} method with a reusable
 * flyweight. Messages of another schema, of an unknown template, too short for their block, or (up to this schema
 * version) carrying an enum value the schema does not define are counted as malformed and skipped, so a
 * listener's getters never throw on them.
 * <p>
 * Sequenced messages (global sequence &gt; 0) are checked against a {@link GlobalSequenceWindow} of the last
 * {@link #SEQUENCE_WINDOW} global sequences: each global sequence reaches the listener once. One already delivered
 * is a repeat (a new sequencer leader republishes its tail, another member's image carries the same sequences) and
 * is dropped ({@link #repeatCount()}); one below the window is dropped as too old to tell ({@link #tooOldCount()});
 * one inside the window not yet delivered is delivered even when below the highest, late but real
 * ({@link #lateCount()}): the missing part of a reported gap arriving on another image or from a replay. A jump
 * forward is reported to {@link MarketDataListener#onSequenceGap(long, long)} and counted, so loss beyond recovery
 * is never silent. Unsequenced messages are never dropped for their sequence. An optional
 * {@link InstrumentFilter} drops messages for instruments not wanted.
 * <p>
 * Threading: one thread. Allocation: none per message (the window's 8 KiB bitmap once, at construction). Use behind a {@link io.aeron.FragmentAssembler}
 * (as {@link BusSubscriber} does) so messages larger than one frame arrive whole.
 */
public final class MessageDispatcher implements FragmentHandler
{
    /** Global sequences the window of delivered sequences holds below and including the highest. */
    public static final int SEQUENCE_WINDOW = GlobalSequenceWindow.DEFAULT_SIZE;

    private static final int BLOCK_LENGTH_SHIFT = 8 * MessageHeaderDecoder.blockLengthEncodingOffset();
    private static final int TEMPLATE_ID_SHIFT = 8 * MessageHeaderDecoder.templateIdEncodingOffset();
    private static final int SCHEMA_ID_SHIFT = 8 * MessageHeaderDecoder.schemaIdEncodingOffset();
    private static final int VERSION_SHIFT = 8 * MessageHeaderDecoder.versionEncodingOffset();

    // For each enum, which of the 256 byte values its SBE decoder accepts (the generated get() throws for the
    // others), built once from get() itself so the tables cannot disagree with the schema. Indexed by the byte
    // as unsigned. Looking up a table costs less per message than get() inside a try block.
    private static final boolean[] VENUE = defined(value -> Venue.get((short)value));
    private static final boolean[] SIDE = defined(value -> Side.get((byte)value));
    private static final boolean[] SECURITY_TYPE = defined(value -> SecurityType.get((short)value));
    private static final boolean[] CANCEL_TYPE = defined(value -> CancelType.get((short)value));
    private static final boolean[] LEVEL_ACTION = defined(value -> LevelAction.get((short)value));
    private static final boolean[] TRADE_TYPE = defined(value -> TradeType.get((short)value));
    private static final boolean[] TRADING_STATE = defined(value -> TradingState.get((short)value));
    private static final boolean[] GAP_REASON = defined(value -> GapReason.get((short)value));
    private static final boolean[] STAT_TYPE = defined(value -> StatType.get((short)value));

    private final InstrumentDefinitionDecoder instrumentDefinition = new InstrumentDefinitionDecoder();
    private final AddOrderDecoder addOrder = new AddOrderDecoder();
    private final ModifyOrderDecoder modifyOrder = new ModifyOrderDecoder();
    private final CancelOrderDecoder cancelOrder = new CancelOrderDecoder();
    private final ExecuteOrderDecoder executeOrder = new ExecuteOrderDecoder();
    private final PriceLevelUpdateDecoder priceLevelUpdate = new PriceLevelUpdateDecoder();
    private final TradeDecoder trade = new TradeDecoder();
    private final TopOfBookDecoder topOfBook = new TopOfBookDecoder();
    private final BookSnapshotDecoder bookSnapshot = new BookSnapshotDecoder();
    private final TradingStatusDecoder tradingStatus = new TradingStatusDecoder();
    private final HeartbeatDecoder heartbeat = new HeartbeatDecoder();
    private final GapNoticeDecoder gapNotice = new GapNoticeDecoder();
    private final EndOfSessionDecoder endOfSession = new EndOfSessionDecoder();
    private final MarketStatisticDecoder marketStatistic = new MarketStatisticDecoder();

    private final MarketDataListener listener;
    private final InstrumentFilter filter;
    private final AtomicCounter received;
    private final AtomicCounter malformed;
    private final AtomicCounter filtered;
    private AtomicCounter repeats;
    private AtomicCounter gaps;
    private long gapCount;
    private long receivedCount;
    private long malformedCount;
    private long filteredCount;
    private long repeatCount;
    private long lateCount;
    private long tooOldCount;
    private final GlobalSequenceWindow window = new GlobalSequenceWindow(SEQUENCE_WINDOW);
    private long highestSequencerTimeNs;
    private long sequencerEpochCount;

    /**
     * A dispatcher without counters or filter (tests, offline tools).
     *
     * @param listener receives the messages.
     */
    public MessageDispatcher(final MarketDataListener listener)
    {
        this(listener, null, null, null, null);
    }

    /**
     * @param listener receives the messages.
     * @param filter instrument filter, or null for all.
     * @param received counter of messages dispatched, or null.
     * @param malformed counter of malformed fragments, or null.
     * @param filtered counter of messages filtered out, or null.
     */
    public MessageDispatcher(
        final MarketDataListener listener,
        final InstrumentFilter filter,
        final AtomicCounter received,
        final AtomicCounter malformed,
        final AtomicCounter filtered)
    {
        this.listener = listener;
        this.filter = filter;
        this.received = received;
        this.malformed = malformed;
        this.filtered = filtered;
    }

    /** {@inheritDoc} */
    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header aeronHeader)
    {
        dispatch(buffer, offset, length, null == aeronHeader ? 0 : aeronHeader.position());
    }

    /**
     * Decode and dispatch one whole message.
     *
     * @param buffer holding the message.
     * @param offset of its message header.
     * @param length of the message.
     * @param position stream position after the message, or 0 when not from a stream.
     * @return true when dispatched, false when malformed or filtered out.
     */
    public boolean dispatch(final DirectBuffer buffer, final int offset, final int length, final long position)
    {
        if (length < CommonBlock.MIN_MESSAGE_LENGTH)
        {
            return onMalformed();
        }
        // The whole 8-byte message header in one read (one bounds check instead of four); the same fields and
        // checks as CommonBlock.isTickbusMessage and MessageHeaderDecoder.
        final long word = buffer.getLong(offset, MessageHeaderDecoder.BYTE_ORDER);
        if ((short)(word >>> SCHEMA_ID_SHIFT) != (short)MessageHeaderDecoder.SCHEMA_ID)
        {
            return onMalformed();
        }
        final int templateId = (int)(word >>> TEMPLATE_ID_SHIFT) & 0xFFFF;
        final int blockLength = (int)(word >>> BLOCK_LENGTH_SHIFT) & 0xFFFF;
        final int version = (int)(word >>> VERSION_SHIFT) & 0xFFFF;
        final int bodyOffset = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        if (blockLength < CommonBlock.LENGTH || MessageHeaderDecoder.ENCODED_LENGTH + blockLength > length)
        {
            return onMalformed();
        }
        if (version <= MessageHeaderDecoder.SCHEMA_VERSION &&
            !enumsDefined(buffer, bodyOffset, blockLength, templateId, offset + length))
        {
            // A value this schema version does not define would make the decoder's getter throw in the listener;
            // a newer version may define more values, so its messages are passed on.
            return onMalformed();
        }

        final long globalSeq = CommonBlock.globalSeq(buffer, offset);
        if (globalSeq > 0)
        {
            final long sequencerTimeNs = CommonBlock.sequencerTime(buffer, offset);
            if (1 == globalSeq && window.highest() > 1 && sequencerTimeNs > highestSequencerTimeNs)
            {
                // A new sequencer epoch (a fresh cluster numbers from 1 again): a reset, not a run of repeats. A
                // late copy of the old sequence 1 is told apart by its time, older than what was delivered.
                window.reset();
                sequencerEpochCount++;
            }
            highestSequencerTimeNs = Math.max(highestSequencerTimeNs, sequencerTimeNs);
            switch (window.onSequence(globalSeq))
            {
                case GlobalSequenceWindow.NEXT:
                    break;
                case GlobalSequenceWindow.AFTER_GAP:
                    gapCount++;
                    if (null != gaps)
                    {
                        gaps.incrementRelease();
                    }
                    listener.onSequenceGap(window.gapFrom(), window.gapTo());
                    break;
                case GlobalSequenceWindow.LATE:
                    // Reported missing (or never seen) and now here on another image: real, delivered once.
                    lateCount++;
                    break;
                case GlobalSequenceWindow.REPEAT:
                    // Already delivered: a new sequencer leader republishes its retained tail, another member's
                    // image carries the same sequences, and every subscriber sees each one once (docs/sequencer.md).
                    repeatCount++;
                    if (null != repeats)
                    {
                        repeats.incrementRelease();
                    }
                    return false;
                default:
                    tooOldCount++;
                    if (null != repeats)
                    {
                        repeats.incrementRelease();
                    }
                    return false;
            }
        }

        if (null != filter)
        {
            if (templateId == InstrumentDefinitionDecoder.TEMPLATE_ID)
            {
                instrumentDefinition.wrap(buffer, bodyOffset, blockLength, version);
                filter.onDefinition(instrumentDefinition);
            }
            else if (!filter.accept(CommonBlock.feedId(buffer, offset), CommonBlock.instrumentId(buffer, offset)))
            {
                filteredCount++;
                if (null != filtered)
                {
                    filtered.incrementRelease();
                }
                return false;
            }
        }

        switch (templateId)
        {
            case InstrumentDefinitionDecoder.TEMPLATE_ID:
                instrumentDefinition.wrap(buffer, bodyOffset, blockLength, version);
                onReceived(buffer, offset, length, templateId, position);
                listener.onInstrumentDefinition(instrumentDefinition);
                break;
            case AddOrderDecoder.TEMPLATE_ID:
                addOrder.wrap(buffer, bodyOffset, blockLength, version);
                onReceived(buffer, offset, length, templateId, position);
                listener.onAddOrder(addOrder);
                break;
            case ModifyOrderDecoder.TEMPLATE_ID:
                modifyOrder.wrap(buffer, bodyOffset, blockLength, version);
                onReceived(buffer, offset, length, templateId, position);
                listener.onModifyOrder(modifyOrder);
                break;
            case CancelOrderDecoder.TEMPLATE_ID:
                cancelOrder.wrap(buffer, bodyOffset, blockLength, version);
                onReceived(buffer, offset, length, templateId, position);
                listener.onCancelOrder(cancelOrder);
                break;
            case ExecuteOrderDecoder.TEMPLATE_ID:
                executeOrder.wrap(buffer, bodyOffset, blockLength, version);
                onReceived(buffer, offset, length, templateId, position);
                listener.onExecuteOrder(executeOrder);
                break;
            case PriceLevelUpdateDecoder.TEMPLATE_ID:
                priceLevelUpdate.wrap(buffer, bodyOffset, blockLength, version);
                onReceived(buffer, offset, length, templateId, position);
                listener.onPriceLevelUpdate(priceLevelUpdate);
                break;
            case TradeDecoder.TEMPLATE_ID:
                trade.wrap(buffer, bodyOffset, blockLength, version);
                onReceived(buffer, offset, length, templateId, position);
                listener.onTrade(trade);
                break;
            case TopOfBookDecoder.TEMPLATE_ID:
                topOfBook.wrap(buffer, bodyOffset, blockLength, version);
                onReceived(buffer, offset, length, templateId, position);
                listener.onTopOfBook(topOfBook);
                break;
            case BookSnapshotDecoder.TEMPLATE_ID:
                if (!bookSnapshotFits(buffer, bodyOffset, blockLength, version, offset + length))
                {
                    return onMalformed();
                }
                bookSnapshot.wrap(buffer, bodyOffset, blockLength, version);
                onReceived(buffer, offset, length, templateId, position);
                listener.onBookSnapshot(bookSnapshot);
                break;
            case TradingStatusDecoder.TEMPLATE_ID:
                tradingStatus.wrap(buffer, bodyOffset, blockLength, version);
                onReceived(buffer, offset, length, templateId, position);
                listener.onTradingStatus(tradingStatus);
                break;
            case HeartbeatDecoder.TEMPLATE_ID:
                heartbeat.wrap(buffer, bodyOffset, blockLength, version);
                onReceived(buffer, offset, length, templateId, position);
                listener.onHeartbeat(heartbeat);
                break;
            case GapNoticeDecoder.TEMPLATE_ID:
                gapNotice.wrap(buffer, bodyOffset, blockLength, version);
                onReceived(buffer, offset, length, templateId, position);
                listener.onGapNotice(gapNotice);
                break;
            case EndOfSessionDecoder.TEMPLATE_ID:
                endOfSession.wrap(buffer, bodyOffset, blockLength, version);
                onReceived(buffer, offset, length, templateId, position);
                listener.onEndOfSession(endOfSession);
                break;
            case MarketStatisticDecoder.TEMPLATE_ID:
                marketStatistic.wrap(buffer, bodyOffset, blockLength, version);
                onReceived(buffer, offset, length, templateId, position);
                listener.onMarketStatistic(marketStatistic);
                break;
            default:
                return onMalformed();
        }
        return true;
    }

    private static boolean enumsDefined(
        final DirectBuffer buffer, final int body, final int blockLength, final int templateId, final int limit)
    {
        if (!VENUE[uint8(buffer, body, blockLength, CommonDecoder.venueEncodingOffset())])
        {
            return false;
        }
        switch (templateId)
        {
            case InstrumentDefinitionDecoder.TEMPLATE_ID:
                return SECURITY_TYPE[uint8(buffer, body, blockLength,
                    InstrumentDefinitionDecoder.securityTypeEncodingOffset())];
            case AddOrderDecoder.TEMPLATE_ID:
                return SIDE[int8(buffer, body, blockLength, AddOrderDecoder.sideEncodingOffset())];
            case ModifyOrderDecoder.TEMPLATE_ID:
                return SIDE[int8(buffer, body, blockLength, ModifyOrderDecoder.sideEncodingOffset())];
            case CancelOrderDecoder.TEMPLATE_ID:
                return CANCEL_TYPE[uint8(buffer, body, blockLength, CancelOrderDecoder.cancelTypeEncodingOffset())];
            case PriceLevelUpdateDecoder.TEMPLATE_ID:
                return SIDE[int8(buffer, body, blockLength, PriceLevelUpdateDecoder.sideEncodingOffset())] &&
                    LEVEL_ACTION[uint8(buffer, body, blockLength, PriceLevelUpdateDecoder.actionEncodingOffset())];
            case TradeDecoder.TEMPLATE_ID:
                return SIDE[int8(buffer, body, blockLength, TradeDecoder.aggressorSideEncodingOffset())] &&
                    TRADE_TYPE[uint8(buffer, body, blockLength, TradeDecoder.tradeTypeEncodingOffset())];
            case TradingStatusDecoder.TEMPLATE_ID:
                return TRADING_STATE[uint8(buffer, body, blockLength, TradingStatusDecoder.stateEncodingOffset())];
            case GapNoticeDecoder.TEMPLATE_ID:
                return GAP_REASON[uint8(buffer, body, blockLength, GapNoticeDecoder.reasonEncodingOffset())];
            case MarketStatisticDecoder.TEMPLATE_ID:
                return STAT_TYPE[uint8(buffer, body, blockLength, MarketStatisticDecoder.statTypeEncodingOffset())] &&
                    LEVEL_ACTION[uint8(buffer, body, blockLength, MarketStatisticDecoder.actionEncodingOffset())];
            case BookSnapshotDecoder.TEMPLATE_ID:
                final int group = body + blockLength;
                if (group + 4 <= limit)
                {
                    final int entryLength = buffer.getShort(group, BookSnapshotDecoder.BYTE_ORDER) & 0xFFFF;
                    final int count = buffer.getShort(group + 2, BookSnapshotDecoder.BYTE_ORDER) & 0xFFFF;
                    for (int i = 0, entry = group + 4; i < count && entry < limit; i++, entry += entryLength)
                    {
                        if (!SIDE[buffer.getByte(entry) & 0xFF])
                        {
                            return false;
                        }
                    }
                }
                return true;
            default:
                return true;
        }
    }

    /**
     * An unsigned enum byte of the root block as a table index, or 255 (every uint8 enum's null) when the block is
     * too short for it.
     */
    private static int uint8(final DirectBuffer buffer, final int body, final int blockLength, final int at)
    {
        return at < blockLength ? buffer.getByte(body + at) & 0xFF : 255;
    }

    /** A signed (char) enum byte of the root block as a table index, or 0 (its null) when the block is too short. */
    private static int int8(final DirectBuffer buffer, final int body, final int blockLength, final int at)
    {
        return at < blockLength ? buffer.getByte(body + at) & 0xFF : 0;
    }

    private static boolean[] defined(final IntConsumer decoderGet)
    {
        final boolean[] table = new boolean[256];
        for (int value = 0; value < table.length; value++)
        {
            try
            {
                decoderGet.accept(value);
                table[value] = true;
            }
            catch (final IllegalArgumentException ex)
            {
                table[value] = false;
            }
        }
        return table;
    }

    private boolean bookSnapshotFits(
        final DirectBuffer buffer, final int bodyOffset, final int blockLength, final int version, final int limit)
    {
        final int groupHeaderOffset = bodyOffset + blockLength;
        if (groupHeaderOffset + 4 > limit)
        {
            return false;
        }
        bookSnapshot.wrap(buffer, bodyOffset, blockLength, version);
        final int groupBlockLength = buffer.getShort(groupHeaderOffset, BookSnapshotDecoder.BYTE_ORDER) & 0xFFFF;
        final int count = buffer.getShort(groupHeaderOffset + 2, BookSnapshotDecoder.BYTE_ORDER) & 0xFFFF;
        return groupHeaderOffset + 4 + (long)groupBlockLength * count <= limit;
    }

    private void onReceived(
        final DirectBuffer buffer, final int offset, final int length, final int templateId, final long position)
    {
        receivedCount++;
        if (null != received)
        {
            received.incrementRelease();
        }
        listener.onMessage(buffer, offset, length, templateId, position);
    }

    private boolean onMalformed()
    {
        malformedCount++;
        if (null != malformed)
        {
            malformed.incrementRelease();
        }
        return false;
    }

    /** @return messages dispatched by this dispatcher. */
    public long receivedCount()
    {
        return receivedCount;
    }

    /** @return malformed fragments skipped by this dispatcher. */
    public long malformedCount()
    {
        return malformedCount;
    }

    /**
     * Count dropped repeats of sequenced messages in an Aeron counter too.
     *
     * @param repeats the counter.
     * @return this.
     */
    public MessageDispatcher repeatsCounter(final AtomicCounter repeats)
    {
        this.repeats = repeats;
        return this;
    }

    /**
     * Count jumps over global sequences in an Aeron counter too.
     *
     * @param gaps the counter.
     * @return this.
     */
    public MessageDispatcher gapsCounter(final AtomicCounter gaps)
    {
        this.gaps = gaps;
        return this;
    }

    /** @return jumps over global sequences seen (each reported to {@link MarketDataListener#onSequenceGap}). */
    public long gapCount()
    {
        return gapCount;
    }

    /** @return sequenced messages dropped because their global sequence was already delivered. */
    /**
     * @return times the sequenced stream started again at global sequence 1 with a later sequencer time (a fresh
     * sequencer cluster): the de-duplication window was reset each time.
     */
    public long sequencerEpochCount()
    {
        return sequencerEpochCount;
    }

    public long repeatCount()
    {
        return repeatCount;
    }

    /**
     * @return sequenced messages delivered late: below the highest global sequence but inside the window and not
     * delivered before (the missing part of a reported gap arriving on another image, or a replay).
     */
    public long lateCount()
    {
        return lateCount;
    }

    /**
     * @return sequenced messages dropped because their global sequence is {@link #SEQUENCE_WINDOW} or more below
     * the highest: too old to tell from a repeat. Not in {@link #repeatCount()}; the repeats Aeron counter counts
     * both kinds of drop.
     */
    public long tooOldCount()
    {
        return tooOldCount;
    }

    /** @return the highest global sequence delivered, 0 before the first sequenced message. */
    public long highestGlobalSeq()
    {
        return window.highest();
    }

    /** @return messages filtered out by this dispatcher. */
    public long filteredCount()
    {
        return filteredCount;
    }
}
