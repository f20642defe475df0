package io.tickbus.client;

import io.tickbus.sbe.AddOrderEncoder;
import io.tickbus.sbe.BookSnapshotEncoder;
import io.tickbus.sbe.CancelOrderEncoder;
import io.tickbus.sbe.CommonDecoder;
import io.tickbus.sbe.CommonEncoder;
import io.tickbus.sbe.EndOfSessionEncoder;
import io.tickbus.sbe.ExecuteOrderEncoder;
import io.tickbus.sbe.GapNoticeEncoder;
import io.tickbus.sbe.HeartbeatEncoder;
import io.tickbus.sbe.InstrumentDefinitionEncoder;
import io.tickbus.sbe.MarketStatisticEncoder;
import io.tickbus.sbe.ModifyOrderEncoder;
import io.tickbus.sbe.PriceLevelUpdateEncoder;
import io.tickbus.sbe.TopOfBookEncoder;
import io.tickbus.sbe.TradeEncoder;
import io.tickbus.sbe.TradingStatusEncoder;
import io.tickbus.sbe.MessageHeaderDecoder;
import io.tickbus.sbe.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Static access to the leading block every Tickbus message carries right after its SBE message header, for
 * code that reads or stamps it without knowing the template (publisher, sequencer, latency tools).
 * <p>
 * Stateless, thread safe, allocation free. Offsets are relative to the start of the message header.
 */
public final class CommonBlock
{
    /** Offset of the common block from the start of a message (after the SBE message header). */
    public static final int OFFSET = MessageHeaderEncoder.ENCODED_LENGTH;
    /** Length of the common block. */
    public static final int LENGTH = CommonEncoder.ENCODED_LENGTH;
    /** The smallest valid Tickbus message: header plus common block. */
    public static final int MIN_MESSAGE_LENGTH = OFFSET + LENGTH;

    /** Offset of the global sequence number. */
    public static final int GLOBAL_SEQ_OFFSET = OFFSET + CommonEncoder.globalSeqEncodingOffset();
    /** Offset of the sequencer time. */
    public static final int SEQUENCER_TIME_OFFSET = OFFSET + CommonEncoder.sequencerTimeEncodingOffset();
    /** Offset of the source sequence number. */
    public static final int SOURCE_SEQ_OFFSET = OFFSET + CommonEncoder.sourceSeqEncodingOffset();
    /** Offset of the exchange time. */
    public static final int EXCHANGE_TIME_OFFSET = OFFSET + CommonEncoder.exchangeTimeEncodingOffset();
    /** Offset of the receive time. */
    public static final int RECEIVE_TIME_OFFSET = OFFSET + CommonEncoder.receiveTimeEncodingOffset();
    /** Offset of the publish time. */
    public static final int PUBLISH_TIME_OFFSET = OFFSET + CommonEncoder.publishTimeEncodingOffset();
    /** Offset of the instrument id. */
    public static final int INSTRUMENT_ID_OFFSET = OFFSET + CommonEncoder.instrumentIdEncodingOffset();
    /** Offset of the feed id. */
    public static final int FEED_ID_OFFSET = OFFSET + CommonEncoder.feedIdEncodingOffset();
    /** Offset of the flags byte. */
    public static final int FLAGS_OFFSET = OFFSET + CommonEncoder.flagsEncodingOffset();
    /** Flag bit 0: the message comes from a replay, not from the venue live. */
    public static final short FLAG_REPLAYED = 1;
    /** Flag bit 3: the message is part of a recap (state in force at the start of a replay window), not a venue event. */
    public static final short FLAG_RECAP = 8;
    /** Flag bit 2: the last message made from one venue packet. */
    public static final short FLAG_LAST_IN_PACKET = 4;
    /** Flag bit 4: the last message of a venue event (CME EndOfEvent, IEX DEEP event flag): the book is consistent. */
    public static final short FLAG_END_OF_EVENT = 16;

    /** Schema version that added the epoch field. */
    public static final int EPOCH_SINCE_VERSION = 4;

    private static final ByteOrder ORDER = CommonEncoder.BYTE_ORDER;
    /** Offset of the epoch field in the root block, by template id (the field ends each root block's v4 fields). */
    private static final int[] EPOCH_OFFSET_BY_TEMPLATE = epochOffsets();

    private CommonBlock()
    {
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message header.
     * @return the flags byte (bits {@link #FLAG_REPLAYED}, {@link #FLAG_RECAP}, ...).
     */
    public static short flags(final DirectBuffer buffer, final int offset)
    {
        return (short)(buffer.getByte(offset + FLAGS_OFFSET) & 0xFF);
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message header.
     * @return true when the message is part of a recap ({@link #FLAG_RECAP}).
     */
    public static boolean isRecap(final DirectBuffer buffer, final int offset)
    {
        return 0 != (flags(buffer, offset) & FLAG_RECAP);
    }

    /**
     * Is this a Tickbus message this build can read the common block of?
     *
     * @param buffer holding the message.
     * @param offset of the message header.
     * @param length of the fragment.
     * @return true when long enough and of the Tickbus schema.
     */
    public static boolean isTickbusMessage(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= MIN_MESSAGE_LENGTH &&
            buffer.getShort(offset + MessageHeaderDecoder.schemaIdEncodingOffset(), ORDER) ==
            (short)MessageHeaderDecoder.SCHEMA_ID;
    }

    /**
     * The venue session epoch (schema version 4): 0 at first, +1 at each venue session change or sequence reset;
     * with the feed id and source sequence it is the de-duplication key. 0 for a message of an older version, which
     * does not carry it, or one whose block is too short to hold it.
     *
     * @param buffer holding the message.
     * @param offset of the message header.
     * @return the epoch, 0..65535.
     */
    public static int epoch(final DirectBuffer buffer, final int offset)
    {
        final int at = epochOffset(buffer, offset);
        return at < 0 ? 0 : buffer.getShort(offset + OFFSET + at, ORDER) & 0xFFFF;
    }

    /**
     * Stamp the epoch into a message of schema version 4 or later (others are left as they are).
     *
     * @param buffer holding the message.
     * @param offset of the message header.
     * @param epoch the epoch, 0..65535.
     */
    public static void epoch(final MutableDirectBuffer buffer, final int offset, final int epoch)
    {
        final int at = epochOffset(buffer, offset);
        if (at >= 0)
        {
            buffer.putShort(offset + OFFSET + at, (short)epoch, ORDER);
        }
    }

    /**
     * Epochs are 16-bit and wrap: {@code a} is newer than {@code b} when it is ahead by 1..32767.
     *
     * @param a an epoch.
     * @param b another.
     * @return true when {@code a} comes after {@code b}.
     */
    public static boolean isNewerEpoch(final int a, final int b)
    {
        return (short)(a - b) > 0;
    }

    private static int epochOffset(final DirectBuffer buffer, final int offset)
    {
        final int templateId = templateId(buffer, offset);
        if (templateId >= EPOCH_OFFSET_BY_TEMPLATE.length ||
            (buffer.getShort(offset + MessageHeaderDecoder.versionEncodingOffset(), ORDER) & 0xFFFF) <
            EPOCH_SINCE_VERSION)
        {
            return -1;
        }
        final int at = EPOCH_OFFSET_BY_TEMPLATE[templateId];
        final int blockLength = buffer.getShort(offset + MessageHeaderDecoder.blockLengthEncodingOffset(), ORDER) &
            0xFFFF;
        return at < 0 || at + 2 > blockLength ? -1 : at;
    }

    private static int[] epochOffsets()
    {
        final int[] offsets = new int[MarketStatisticEncoder.TEMPLATE_ID + 1];
        java.util.Arrays.fill(offsets, -1);
        offsets[InstrumentDefinitionEncoder.TEMPLATE_ID] = InstrumentDefinitionEncoder.epochEncodingOffset();
        offsets[AddOrderEncoder.TEMPLATE_ID] = AddOrderEncoder.epochEncodingOffset();
        offsets[ModifyOrderEncoder.TEMPLATE_ID] = ModifyOrderEncoder.epochEncodingOffset();
        offsets[CancelOrderEncoder.TEMPLATE_ID] = CancelOrderEncoder.epochEncodingOffset();
        offsets[ExecuteOrderEncoder.TEMPLATE_ID] = ExecuteOrderEncoder.epochEncodingOffset();
        offsets[PriceLevelUpdateEncoder.TEMPLATE_ID] = PriceLevelUpdateEncoder.epochEncodingOffset();
        offsets[TradeEncoder.TEMPLATE_ID] = TradeEncoder.epochEncodingOffset();
        offsets[TopOfBookEncoder.TEMPLATE_ID] = TopOfBookEncoder.epochEncodingOffset();
        offsets[BookSnapshotEncoder.TEMPLATE_ID] = BookSnapshotEncoder.epochEncodingOffset();
        offsets[TradingStatusEncoder.TEMPLATE_ID] = TradingStatusEncoder.epochEncodingOffset();
        offsets[HeartbeatEncoder.TEMPLATE_ID] = HeartbeatEncoder.epochEncodingOffset();
        offsets[GapNoticeEncoder.TEMPLATE_ID] = GapNoticeEncoder.epochEncodingOffset();
        offsets[EndOfSessionEncoder.TEMPLATE_ID] = EndOfSessionEncoder.epochEncodingOffset();
        offsets[MarketStatisticEncoder.TEMPLATE_ID] = MarketStatisticEncoder.epochEncodingOffset();
        return offsets;
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message header.
     * @return the template id.
     */
    public static int templateId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + MessageHeaderDecoder.templateIdEncodingOffset(), ORDER) & 0xFFFF;
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message header.
     * @return global sequence, 0 when not sequenced.
     */
    public static long globalSeq(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + GLOBAL_SEQ_OFFSET, ORDER);
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message header.
     * @return source sequence.
     */
    public static long sourceSeq(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SOURCE_SEQ_OFFSET, ORDER);
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message header.
     * @return feed id.
     */
    public static int feedId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + FEED_ID_OFFSET, ORDER) & 0xFFFF;
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message header.
     * @return instrument id.
     */
    public static int instrumentId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + INSTRUMENT_ID_OFFSET, ORDER);
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message header.
     * @return exchange time, epoch ns.
     */
    public static long exchangeTime(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + EXCHANGE_TIME_OFFSET, ORDER);
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message header.
     * @return feed-handler receive time, epoch ns.
     */
    public static long receiveTime(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + RECEIVE_TIME_OFFSET, ORDER);
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message header.
     * @return bus publish time, epoch ns.
     */
    public static long publishTime(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + PUBLISH_TIME_OFFSET, ORDER);
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message header.
     * @return sequencer time, epoch ns, 0 when not sequenced.
     */
    public static long sequencerTime(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SEQUENCER_TIME_OFFSET, ORDER);
    }

    /**
     * Stamp the publish time in place.
     *
     * @param buffer holding the message.
     * @param offset of the message header.
     * @param epochNs the time.
     */
    public static void publishTime(final MutableDirectBuffer buffer, final int offset, final long epochNs)
    {
        buffer.putLong(offset + PUBLISH_TIME_OFFSET, epochNs, ORDER);
    }

    /**
     * Stamp the sequencer's global sequence and time in place.
     *
     * @param buffer holding the message.
     * @param offset of the message header.
     * @param globalSeq the global sequence.
     * @param sequencerTimeNs the sequencer time, epoch ns.
     */
    public static void sequence(
        final MutableDirectBuffer buffer, final int offset, final long globalSeq, final long sequencerTimeNs)
    {
        buffer.putLong(offset + GLOBAL_SEQ_OFFSET, globalSeq, ORDER);
        buffer.putLong(offset + SEQUENCER_TIME_OFFSET, sequencerTimeNs, ORDER);
    }

    /**
     * Wrap a reusable decoder over the common block of any message.
     *
     * @param decoder the flyweight.
     * @param buffer holding the message.
     * @param offset of the message header.
     * @return the decoder.
     */
    public static CommonDecoder wrap(final CommonDecoder decoder, final DirectBuffer buffer, final int offset)
    {
        return decoder.wrap(buffer, offset + OFFSET);
    }
}
