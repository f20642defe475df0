package io.tickbus.feed;

import io.tickbus.client.MessageSink;
import io.tickbus.sbe.AddOrderEncoder;
import io.tickbus.sbe.BookSnapshotEncoder;
import io.tickbus.sbe.CancelOrderEncoder;
import io.tickbus.sbe.CommonEncoder;
import io.tickbus.sbe.EndOfSessionEncoder;
import io.tickbus.sbe.ExecuteOrderEncoder;
import io.tickbus.sbe.GapNoticeEncoder;
import io.tickbus.sbe.GapReason;
import io.tickbus.sbe.HeartbeatEncoder;
import io.tickbus.sbe.InstrumentDefinitionEncoder;
import io.tickbus.sbe.MarketStatisticEncoder;
import io.tickbus.sbe.MessageHeaderEncoder;
import io.tickbus.sbe.ModifyOrderEncoder;
import io.tickbus.sbe.PriceLevelUpdateEncoder;
import io.tickbus.sbe.TopOfBookEncoder;
import io.tickbus.sbe.TradeEncoder;
import io.tickbus.sbe.TradingStatusEncoder;
import io.tickbus.sbe.Venue;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.sbe.MessageEncoderFlyweight;

/**
 * Reusable SBE encoders over one scratch buffer, for a normalizer: each factory method wraps the encoder at the
 * start of the scratch buffer, applies the message header and fills the common block (instrument, source
 * sequence, exchange and receive time, this feed's id and venue, current flags; sequencer fields and publish time
 * zero), and returns the encoder for the template's own fields. {@link #publish(MessageEncoderFlyweight)} then
 * hands the message to the sink and reports the outcome to the {@link FeedStats}.
 * <p>
 * One message at a time: the next factory call overwrites the scratch buffer.
 * <p>
 * Packet mode ({@link #beginPacket()} .. {@link #endPacket()}), for decoders whose venue packet yields a number of
 * messages known only at its end: the newest message is held back until the next one is published or the packet
 * ends, so that {@link #endPacket()} can mark the packet's last message {@link #FLAG_LAST_IN_PACKET} and
 * {@link #markEndOfEvent()} can mark the message that ends a venue event. Order is unchanged; a message waits only
 * while its own packet is decoded.
 * <p>
 * Threading: one thread. Allocation: the encoders and two 64 KiB direct buffers at construction, nothing after.
 */
public final class MessageEncoders
{
    /** Scratch capacity: room for the largest book snapshot a venue sends in one message. */
    public static final int SCRATCH_CAPACITY = 64 * 1024;
    /** Common-block flag: the message is replayed. */
    public static final short FLAG_REPLAYED = 1;
    /** Common-block flag: retransmitted by the venue. */
    public static final short FLAG_RETRANSMITTED = 2;
    /** Common-block flag: last message of a venue packet. */
    public static final short FLAG_LAST_IN_PACKET = io.tickbus.client.CommonBlock.FLAG_LAST_IN_PACKET;
    /** Common-block flag: last message of a venue event (the venue's book is consistent after it). */
    public static final short FLAG_END_OF_EVENT = io.tickbus.client.CommonBlock.FLAG_END_OF_EVENT;
    /** Price mantissa meaning "no price" (MarketStatistic; ExecuteOrder: at the resting order's price). */
    public static final long NULL_PRICE = Long.MIN_VALUE;
    /** PriceLevelUpdate.eventFlags bit: the venue event is complete. */
    public static final short EVENT_FLAG_COMPLETE = 1;

    private static final java.nio.ByteOrder BYTE_ORDER = MessageHeaderEncoder.BYTE_ORDER;
    private static final int FLAGS_OFFSET = MessageHeaderEncoder.ENCODED_LENGTH + CommonEncoder.flagsEncodingOffset();
    private static final int TEMPLATE_ID_OFFSET = MessageHeaderEncoder.templateIdEncodingOffset();
    private static final int EVENT_FLAGS_OFFSET =
        MessageHeaderEncoder.ENCODED_LENGTH + PriceLevelUpdateEncoder.eventFlagsEncodingOffset();

    private UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(SCRATCH_CAPACITY, 64));
    private UnsafeBuffer held = new UnsafeBuffer(BufferUtil.allocateDirectAligned(SCRATCH_CAPACITY, 64));
    private boolean inPacket;
    private int heldLength;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final InstrumentDefinitionEncoder instrumentDefinition = new InstrumentDefinitionEncoder();
    private final AddOrderEncoder addOrder = new AddOrderEncoder();
    private final ModifyOrderEncoder modifyOrder = new ModifyOrderEncoder();
    private final CancelOrderEncoder cancelOrder = new CancelOrderEncoder();
    private final ExecuteOrderEncoder executeOrder = new ExecuteOrderEncoder();
    private final PriceLevelUpdateEncoder priceLevelUpdate = new PriceLevelUpdateEncoder();
    private final TradeEncoder trade = new TradeEncoder();
    private final TopOfBookEncoder topOfBook = new TopOfBookEncoder();
    private final BookSnapshotEncoder bookSnapshot = new BookSnapshotEncoder();
    private final TradingStatusEncoder tradingStatus = new TradingStatusEncoder();
    private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
    private final GapNoticeEncoder gapNotice = new GapNoticeEncoder();
    private final EndOfSessionEncoder endOfSession = new EndOfSessionEncoder();
    private final MarketStatisticEncoder marketStatistic = new MarketStatisticEncoder();

    private final MessageSink sink;
    private final FeedStats stats;
    private final int feedId;
    private final Venue venue;
    private short flags;
    private long published;
    private int epoch;
    private long refused;

    /**
     * @param sink where encoded messages go.
     * @param stats told the outcome of every publish.
     * @param feedId this handler's feed id (uint16).
     * @param venue venue stamped in every message.
     */
    public MessageEncoders(final MessageSink sink, final FeedStats stats, final int feedId, final Venue venue)
    {
        if (feedId < 0 || feedId > 0xFFFF)
        {
            throw new IllegalArgumentException("feedId must be 0..65535: " + feedId);
        }
        this.sink = sink;
        this.stats = null == stats ? FeedStats.NONE : stats;
        this.feedId = feedId;
        this.venue = venue;
    }

    /** @return the scratch buffer the next message is encoded into (at offset 0); packet mode alternates two. */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /** @return the feed id stamped in every message. */
    public int feedId()
    {
        return feedId;
    }

    /** @return the venue stamped in every message. */
    public Venue venue()
    {
        return venue;
    }

    /**
     * Flags for the common block of the messages encoded from now on.
     *
     * @param flags e.g. {@link #FLAG_RETRANSMITTED}.
     * @return this.
     */
    public MessageEncoders flags(final short flags)
    {
        this.flags = flags;
        return this;
    }

    /**
     * The venue session epoch stamped in the messages published from now on (see {@link #nextEpoch()}).
     *
     * @param epoch 0..65535.
     * @return this.
     */
    public MessageEncoders epoch(final int epoch)
    {
        this.epoch = epoch & 0xFFFF;
        return this;
    }

    /**
     * A venue session change or sequence reset: the messages from now on belong to the next epoch, so the
     * sequencer takes the new session's low sequence numbers instead of dropping them as repeats.
     *
     * @return the new epoch.
     */
    public int nextEpoch()
    {
        epoch = (epoch + 1) & 0xFFFF;
        return epoch;
    }

    /** @return the venue session epoch stamped in every message. */
    public int epoch()
    {
        return epoch;
    }

    /** @return messages the sink accepted. */
    public long publishedCount()
    {
        return published;
    }

    /** @return messages the sink refused (negative result). */
    public long refusedCount()
    {
        return refused;
    }

    /**
     * Hand the message just encoded to the sink; in packet mode hold it and hand over the one held before.
     *
     * @param encoder the encoder returned by one of the factory methods, fully written.
     * @return the sink's result for the message handed over, 1 when packet mode held it and released none.
     */
    public long publish(final MessageEncoderFlyweight encoder)
    {
        io.tickbus.client.CommonBlock.epoch(buffer, 0, epoch);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        if (!inPacket)
        {
            return send(buffer, length);
        }
        final long result = 0 == heldLength ? 1 : send(held, heldLength);
        final UnsafeBuffer justEncoded = buffer;
        buffer = held;
        held = justEncoded;
        heldLength = length;
        return result;
    }

    /**
     * Start packet mode: messages are held one deep until the next is published or {@link #endPacket()}.
     */
    public void beginPacket()
    {
        inPacket = true;
    }

    /**
     * End packet mode: the message held, the packet's last, is marked {@link #FLAG_LAST_IN_PACKET} and handed over.
     */
    public void endPacket()
    {
        inPacket = false;
        if (0 != heldLength)
        {
            final int length = heldLength;
            heldLength = 0;
            held.putByte(FLAGS_OFFSET, (byte)(held.getByte(FLAGS_OFFSET) | FLAG_LAST_IN_PACKET));
            send(held, length);
        }
    }

    /**
     * Mark the message held (the last one published in this packet) as the end of a venue event:
     * {@link #FLAG_END_OF_EVENT}, and for a PriceLevelUpdate also {@link #EVENT_FLAG_COMPLETE} in its eventFlags.
     *
     * @return false when no message is held (none yet in this packet, or not in packet mode): nothing was marked.
     */
    public boolean markEndOfEvent()
    {
        if (0 == heldLength)
        {
            return false;
        }
        held.putByte(FLAGS_OFFSET, (byte)(held.getByte(FLAGS_OFFSET) | FLAG_END_OF_EVENT));
        if (PriceLevelUpdateEncoder.TEMPLATE_ID == (held.getShort(TEMPLATE_ID_OFFSET, BYTE_ORDER) & 0xFFFF))
        {
            held.putByte(EVENT_FLAGS_OFFSET, (byte)(held.getByte(EVENT_FLAGS_OFFSET) | EVENT_FLAG_COMPLETE));
        }
        return true;
    }

    private long send(final UnsafeBuffer source, final int length)
    {
        final long result = sink.publish(source, 0, length);
        if (result > 0)
        {
            published++;
        }
        else
        {
            refused++;
        }
        stats.onPublishResult(result);
        return result;
    }

    /**
     * @param instrumentId instrument.
     * @param sourceSeq venue sequence number.
     * @param exchangeTimeNs venue time, epoch ns.
     * @param receiveTimeNs receive time, epoch ns.
     * @return the encoder, common block filled.
     */
    public InstrumentDefinitionEncoder instrumentDefinition(
        final int instrumentId, final long sourceSeq, final long exchangeTimeNs, final long receiveTimeNs)
    {
        instrumentDefinition.wrapAndApplyHeader(buffer, 0, headerEncoder);
        common(instrumentDefinition.common(), instrumentId, sourceSeq, exchangeTimeNs, receiveTimeNs);
        return instrumentDefinition
            .displayFactorMantissa(InstrumentDefinitionEncoder.displayFactorMantissaNullValue())
            .displayFactorExponent((byte)0);
    }

    /**
     * @param instrumentId instrument.
     * @param sourceSeq venue sequence number.
     * @param exchangeTimeNs venue time, epoch ns.
     * @param receiveTimeNs receive time, epoch ns.
     * @return the encoder, common block filled.
     */
    public AddOrderEncoder addOrder(
        final int instrumentId, final long sourceSeq, final long exchangeTimeNs, final long receiveTimeNs)
    {
        addOrder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        common(addOrder.common(), instrumentId, sourceSeq, exchangeTimeNs, receiveTimeNs);
        return addOrder.priority(AddOrderEncoder.priorityNullValue());
    }

    /**
     * @param instrumentId instrument.
     * @param sourceSeq venue sequence number.
     * @param exchangeTimeNs venue time, epoch ns.
     * @param receiveTimeNs receive time, epoch ns.
     * @return the encoder, common block filled.
     */
    public ModifyOrderEncoder modifyOrder(
        final int instrumentId, final long sourceSeq, final long exchangeTimeNs, final long receiveTimeNs)
    {
        modifyOrder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        common(modifyOrder.common(), instrumentId, sourceSeq, exchangeTimeNs, receiveTimeNs);
        return modifyOrder.priority(ModifyOrderEncoder.priorityNullValue());
    }

    /**
     * @param instrumentId instrument.
     * @param sourceSeq venue sequence number.
     * @param exchangeTimeNs venue time, epoch ns.
     * @param receiveTimeNs receive time, epoch ns.
     * @return the encoder, common block filled.
     */
    public CancelOrderEncoder cancelOrder(
        final int instrumentId, final long sourceSeq, final long exchangeTimeNs, final long receiveTimeNs)
    {
        cancelOrder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        common(cancelOrder.common(), instrumentId, sourceSeq, exchangeTimeNs, receiveTimeNs);
        return cancelOrder;
    }

    /**
     * @param instrumentId instrument.
     * @param sourceSeq venue sequence number.
     * @param exchangeTimeNs venue time, epoch ns.
     * @param receiveTimeNs receive time, epoch ns.
     * @return the encoder, common block filled.
     */
    public ExecuteOrderEncoder executeOrder(
        final int instrumentId, final long sourceSeq, final long exchangeTimeNs, final long receiveTimeNs)
    {
        executeOrder.wrapAndApplyHeader(buffer, 0, headerEncoder);
        common(executeOrder.common(), instrumentId, sourceSeq, exchangeTimeNs, receiveTimeNs);
        return executeOrder;
    }

    /**
     * @param instrumentId instrument.
     * @param sourceSeq venue sequence number.
     * @param exchangeTimeNs venue time, epoch ns.
     * @param receiveTimeNs receive time, epoch ns.
     * @return the encoder, common block filled.
     */
    public PriceLevelUpdateEncoder priceLevelUpdate(
        final int instrumentId, final long sourceSeq, final long exchangeTimeNs, final long receiveTimeNs)
    {
        priceLevelUpdate.wrapAndApplyHeader(buffer, 0, headerEncoder);
        common(priceLevelUpdate.common(), instrumentId, sourceSeq, exchangeTimeNs, receiveTimeNs);
        return priceLevelUpdate;
    }

    /**
     * @param instrumentId instrument.
     * @param sourceSeq venue sequence number.
     * @param exchangeTimeNs venue time, epoch ns.
     * @param receiveTimeNs receive time, epoch ns.
     * @return the encoder, common block filled.
     */
    public TradeEncoder trade(
        final int instrumentId, final long sourceSeq, final long exchangeTimeNs, final long receiveTimeNs)
    {
        trade.wrapAndApplyHeader(buffer, 0, headerEncoder);
        common(trade.common(), instrumentId, sourceSeq, exchangeTimeNs, receiveTimeNs);
        trade.cumulativeVolume(0);
        return trade;
    }

    /**
     * @param instrumentId instrument.
     * @param sourceSeq venue sequence number.
     * @param exchangeTimeNs venue time, epoch ns.
     * @param receiveTimeNs receive time, epoch ns.
     * @return the encoder, common block filled.
     */
    public TopOfBookEncoder topOfBook(
        final int instrumentId, final long sourceSeq, final long exchangeTimeNs, final long receiveTimeNs)
    {
        topOfBook.wrapAndApplyHeader(buffer, 0, headerEncoder);
        common(topOfBook.common(), instrumentId, sourceSeq, exchangeTimeNs, receiveTimeNs);
        return topOfBook;
    }

    /**
     * The caller fills the fixed fields and then the {@code levels} group.
     *
     * @param instrumentId instrument.
     * @param sourceSeq venue sequence number.
     * @param exchangeTimeNs venue time, epoch ns.
     * @param receiveTimeNs receive time, epoch ns.
     * @return the encoder, common block filled.
     */
    public BookSnapshotEncoder bookSnapshot(
        final int instrumentId, final long sourceSeq, final long exchangeTimeNs, final long receiveTimeNs)
    {
        bookSnapshot.wrapAndApplyHeader(buffer, 0, headerEncoder);
        common(bookSnapshot.common(), instrumentId, sourceSeq, exchangeTimeNs, receiveTimeNs);
        return bookSnapshot;
    }

    /**
     * @param instrumentId instrument, 0 for market-wide.
     * @param sourceSeq venue sequence number.
     * @param exchangeTimeNs venue time, epoch ns.
     * @param receiveTimeNs receive time, epoch ns.
     * @return the encoder, common block filled.
     */
    public TradingStatusEncoder tradingStatus(
        final int instrumentId, final long sourceSeq, final long exchangeTimeNs, final long receiveTimeNs)
    {
        tradingStatus.wrapAndApplyHeader(buffer, 0, headerEncoder);
        common(tradingStatus.common(), instrumentId, sourceSeq, exchangeTimeNs, receiveTimeNs);
        return tradingStatus;
    }

    /**
     * @param sourceSeq venue sequence number (next expected).
     * @param exchangeTimeNs venue time, epoch ns.
     * @param receiveTimeNs receive time, epoch ns.
     * @return the encoder, common block filled.
     */
    public HeartbeatEncoder heartbeat(final long sourceSeq, final long exchangeTimeNs, final long receiveTimeNs)
    {
        heartbeat.wrapAndApplyHeader(buffer, 0, headerEncoder);
        common(heartbeat.common(), 0, sourceSeq, exchangeTimeNs, receiveTimeNs);
        return heartbeat;
    }

    /**
     * @param sourceSeq venue sequence number of the packet that revealed the gap.
     * @param exchangeTimeNs venue time, epoch ns.
     * @param receiveTimeNs receive time, epoch ns.
     * @return the encoder, common block filled.
     */
    public GapNoticeEncoder gapNotice(final long sourceSeq, final long exchangeTimeNs, final long receiveTimeNs)
    {
        gapNotice.wrapAndApplyHeader(buffer, 0, headerEncoder);
        common(gapNotice.common(), 0, sourceSeq, exchangeTimeNs, receiveTimeNs);
        return gapNotice;
    }

    /**
     * Encode and publish a GapNotice for the venue sequence numbers {@code fromSeq..toSeq} (reporting the gap to
     * the stats is the caller's, as only a venue gap is one).
     *
     * @param sourceSeq source sequence of the notice.
     * @param exchangeTimeNs venue time, epoch ns.
     * @param receiveTimeNs receive time, epoch ns.
     * @param fromSeq first venue sequence number missing (or reset to).
     * @param toSeq last venue sequence number missing (or reset to).
     * @param reason why.
     * @return the sink's result.
     */
    public long publishGapNotice(
        final long sourceSeq,
        final long exchangeTimeNs,
        final long receiveTimeNs,
        final long fromSeq,
        final long toSeq,
        final GapReason reason)
    {
        return publish(gapNotice(sourceSeq, exchangeTimeNs, receiveTimeNs)
            .fromSeq(fromSeq)
            .toSeq(toSeq)
            .reason(reason));
    }

    /**
     * @param sourceSeq venue sequence number.
     * @param exchangeTimeNs venue time, epoch ns.
     * @param receiveTimeNs receive time, epoch ns.
     * @return the encoder, common block filled.
     */
    public EndOfSessionEncoder endOfSession(final long sourceSeq, final long exchangeTimeNs, final long receiveTimeNs)
    {
        endOfSession.wrapAndApplyHeader(buffer, 0, headerEncoder);
        common(endOfSession.common(), 0, sourceSeq, exchangeTimeNs, receiveTimeNs);
        return endOfSession;
    }

    /**
     * A statistic with no price, quantity 0, no qualifier and no trading date until the caller sets them.
     *
     * @param instrumentId instrument.
     * @param sourceSeq venue sequence number.
     * @param exchangeTimeNs venue time, epoch ns.
     * @param receiveTimeNs receive time, epoch ns.
     * @return the encoder, common block filled.
     */
    public MarketStatisticEncoder marketStatistic(
        final int instrumentId, final long sourceSeq, final long exchangeTimeNs, final long receiveTimeNs)
    {
        marketStatistic.wrapAndApplyHeader(buffer, 0, headerEncoder);
        common(marketStatistic.common(), instrumentId, sourceSeq, exchangeTimeNs, receiveTimeNs);
        marketStatistic.venueCode((byte)' ').qualifier((short)0).quantity(0).tradingDate(0);
        marketStatistic.price().mantissa(NULL_PRICE).exponent((byte)0);
        return marketStatistic;
    }

    /**
     * Copy a venue symbol into the definition's fixed-length symbol field, NUL padded, trailing spaces removed.
     *
     * @param encoder a definition just returned by {@link #instrumentDefinition(int, long, long, long)}.
     * @param src holding the symbol bytes (ASCII).
     * @param offset of the symbol.
     * @param length of the symbol field in the venue message.
     * @return the encoder.
     */
    public static InstrumentDefinitionEncoder symbol(
        final InstrumentDefinitionEncoder encoder, final DirectBuffer src, final int offset, final int length)
    {
        int len = Math.min(length, InstrumentDefinitionEncoder.symbolLength());
        while (len > 0 && (' ' == src.getByte(offset + len - 1) || 0 == src.getByte(offset + len - 1)))
        {
            len--;
        }
        final int dst = encoder.offset() + InstrumentDefinitionEncoder.symbolEncodingOffset();
        encoder.buffer().putBytes(dst, src, offset, len);
        encoder.buffer().setMemory(dst + len, InstrumentDefinitionEncoder.symbolLength() - len, (byte)0);
        return encoder;
    }

    private void common(
        final CommonEncoder common,
        final int instrumentId,
        final long sourceSeq,
        final long exchangeTimeNs,
        final long receiveTimeNs)
    {
        common
            .globalSeq(0)
            .sequencerTime(0)
            .sourceSeq(sourceSeq)
            .exchangeTime(exchangeTimeNs)
            .receiveTime(receiveTimeNs)
            .publishTime(0)
            .instrumentId(instrumentId)
            .feedId(feedId)
            .venue(venue)
            .flags(flags);
    }
}
