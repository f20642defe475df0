package io.tickbus.perf.peers;

import io.tickbus.client.CommonBlock;
import io.tickbus.client.MarketDataListener;
import io.tickbus.client.MessageDispatcher;
import io.tickbus.sbe.BookSnapshotDecoder;
import io.tickbus.sbe.BookSnapshotEncoder;
import io.tickbus.sbe.HeartbeatEncoder;
import io.tickbus.sbe.MessageHeaderEncoder;
import io.tickbus.sbe.Side;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * The one workload every transport is measured with: a market-data-sized normalized Tickbus message, either a
 * Heartbeat (64 bytes, the small size) or a BookSnapshot with 8 levels (245 bytes, the "256-byte" size), with the
 * scheduled send time of a ping carried in the common block's sourceSeq slot.
 * <p>
 * Threading: the static methods are thread safe; an instance of {@link Encoder} belongs to one thread. Allocates only
 * when an {@link Encoder} is built.
 */
public final class Workload
{
    /** The small message size class (a Heartbeat). */
    public static final int SMALL = 64;

    /** The large message size class (a BookSnapshot with {@link #SNAPSHOT_LEVELS} levels, 245 bytes). */
    public static final int LARGE = 256;

    /** Levels in the large message. */
    public static final int SNAPSHOT_LEVELS = 8;

    /** Offset in a message of the scheduled send time of a ping (the sourceSeq slot of the common block). */
    public static final int TIME_OFFSET = CommonBlock.SOURCE_SEQ_OFFSET;

    /** Scheduled time written into connection probes, which are never recorded. */
    public static final long PROBE = -1;

    private Workload()
    {
    }

    /**
     * Encode the message of a size class at offset 0 of a buffer.
     *
     * @param buffer to encode into, at least 256 bytes.
     * @param sizeClass {@link #SMALL} or {@link #LARGE}.
     * @param header flyweight to reuse.
     * @param heartbeat flyweight to reuse.
     * @param snapshot flyweight to reuse.
     * @return the encoded length.
     */
    public static int encode(
        final MutableDirectBuffer buffer,
        final int sizeClass,
        final MessageHeaderEncoder header,
        final HeartbeatEncoder heartbeat,
        final BookSnapshotEncoder snapshot)
    {
        if (sizeClass <= SMALL)
        {
            heartbeat.wrapAndApplyHeader(buffer, 0, header).common().instrumentId(1).feedId(1);
            return MessageHeaderEncoder.ENCODED_LENGTH + heartbeat.encodedLength();
        }
        snapshot.wrapAndApplyHeader(buffer, 0, header).common().instrumentId(1).feedId(1);
        final BookSnapshotEncoder.LevelsEncoder levels = snapshot.lastSourceSeq(1).priceExponent((byte)-4)
            .levelsCount(SNAPSHOT_LEVELS);
        for (int i = 0; i < SNAPSHOT_LEVELS; i++)
        {
            levels.next().side(i < SNAPSHOT_LEVELS / 2 ? Side.BUY : Side.SELL).price(1_000_000 + i).quantity(100)
                .orderCount(1);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + snapshot.encodedLength();
    }

    /**
     * Write the scheduled send time of a ping.
     *
     * @param buffer holding the message.
     * @param offset of the message.
     * @param scheduledNs {@link System#nanoTime()} at which the ping was due, or {@link #PROBE}.
     */
    public static void scheduledTime(final MutableDirectBuffer buffer, final int offset, final long scheduledNs)
    {
        buffer.putLong(offset + TIME_OFFSET, scheduledNs, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Read the scheduled send time of a ping.
     *
     * @param buffer holding the message.
     * @param offset of the message.
     * @return the scheduled time, or {@link #PROBE}.
     */
    public static long scheduledTime(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + TIME_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @return a dispatcher that decodes a ping the way every echo side does, for peers that deliver bytes: call
     * {@link MessageDispatcher#dispatch(DirectBuffer, int, int, long)} before sending the bytes back.
     */
    public static MessageDispatcher echoDecoder()
    {
        return new MessageDispatcher(new EchoDecoder());
    }

    /**
     * A reusable encoder of the workload's messages, one per thread.
     */
    public static final class Encoder
    {
        private final MessageHeaderEncoder header = new MessageHeaderEncoder();
        private final HeartbeatEncoder heartbeat = new HeartbeatEncoder();
        private final BookSnapshotEncoder snapshot = new BookSnapshotEncoder();
        private final int sizeClass;

        /**
         * @param sizeClass {@link #SMALL} or {@link #LARGE}.
         */
        public Encoder(final int sizeClass)
        {
            this.sizeClass = sizeClass;
        }

        /**
         * Encode the message at offset 0.
         *
         * @param buffer to encode into.
         * @return the encoded length.
         */
        public int encode(final MutableDirectBuffer buffer)
        {
            return Workload.encode(buffer, sizeClass, header, heartbeat, snapshot);
        }
    }

    /**
     * The decode work an echo side does for every ping before it sends it back: reads every field a book builder
     * would (the snapshot's levels), as the Tickbus subscriber does.
     */
    public static class EchoDecoder implements MarketDataListener
    {
        private long sink;

        /** {@inheritDoc} */
        public void onBookSnapshot(final BookSnapshotDecoder msg)
        {
            for (final BookSnapshotDecoder.LevelsDecoder level : msg.levels())
            {
                sink += level.price() + level.quantity();
            }
        }

        /**
         * @return a value derived from what was decoded (keeps the decode from being optimised away).
         */
        public long sink()
        {
            return sink;
        }
    }
}
