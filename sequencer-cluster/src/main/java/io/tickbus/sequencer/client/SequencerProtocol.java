package io.tickbus.sequencer.client;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * What the sequencer and its clients exchange besides Tickbus messages: the acknowledgement the service sends on
 * egress, and the credentials a feed handler presents when it connects.
 * <p>
 * Ack layout (little endian, 24 bytes): {@code int16 type = 1}, {@code uint16 feedId}, {@code int32 reserved},
 * {@code int64 lastSourceSeq} (the highest source sequence of this feed the cluster has sequenced),
 * {@code int64 globalSeq} (the cluster's global sequence when the ack was written).
 * <p>
 * Credentials: the UTF-8 text {@code FEED_ID:SECRET}; the authenticated principal is the UTF-8 text of the feed id.
 * <p>
 * Stateless and thread safe; the ack methods allocate nothing.
 */
public final class SequencerProtocol
{
    /** Message type of an ack. */
    public static final short ACK_TYPE = 1;
    /** Length of an ack. */
    public static final int ACK_LENGTH = 24;
    /** Message type of an ack request (ingress): "tell me the feed's last source sequence". */
    public static final short ACK_REQUEST_TYPE = 2;
    /** Length of an ack request; shorter than any Tickbus message, so never taken for one. */
    public static final int ACK_REQUEST_LENGTH = 8;
    /** Principal of a session when the sequencer runs without authentication: any feed id is allowed. */
    public static final int ANY_FEED = -1;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    private static final int TYPE_OFFSET = 0;
    private static final int FEED_ID_OFFSET = 2;
    private static final int EPOCH_OFFSET = 4;
    private static final int LAST_SOURCE_SEQ_OFFSET = 8;
    private static final int GLOBAL_SEQ_OFFSET = 16;

    private SequencerProtocol()
    {
    }

    /**
     * Encode an ack.
     *
     * @param buffer to write to.
     * @param offset at which to write.
     * @param feedId the feed.
     * @param epoch the feed's venue session epoch that {@code lastSourceSeq} belongs to.
     * @param lastSourceSeq highest source sequence sequenced for the feed in that epoch.
     * @param globalSeq global sequence at the time.
     * @return bytes written.
     */
    public static int encodeAck(
        final MutableDirectBuffer buffer, final int offset, final int feedId, final int epoch,
        final long lastSourceSeq, final long globalSeq)
    {
        buffer.putShort(offset + TYPE_OFFSET, ACK_TYPE, ORDER);
        buffer.putShort(offset + FEED_ID_OFFSET, (short)feedId, ORDER);
        buffer.putShort(offset + EPOCH_OFFSET, (short)epoch, ORDER);
        buffer.putShort(offset + EPOCH_OFFSET + 2, (short)0, ORDER);
        buffer.putLong(offset + LAST_SOURCE_SEQ_OFFSET, lastSourceSeq, ORDER);
        buffer.putLong(offset + GLOBAL_SEQ_OFFSET, globalSeq, ORDER);
        return ACK_LENGTH;
    }

    /**
     * @param buffer holding an egress message.
     * @param offset of the message.
     * @param length of the message.
     * @return true when it is an ack.
     */
    public static boolean isAck(final DirectBuffer buffer, final int offset, final int length)
    {
        return length >= ACK_LENGTH && buffer.getShort(offset + TYPE_OFFSET, ORDER) == ACK_TYPE;
    }

    /**
     * Encode an ack request: the sequencer answers with an ack for the feed (its last source sequence), so that a
     * restarted feed handler learns where to resume.
     *
     * @param buffer to write to.
     * @param offset at which to write.
     * @param feedId the feed.
     * @return bytes written.
     */
    public static int encodeAckRequest(final MutableDirectBuffer buffer, final int offset, final int feedId)
    {
        buffer.putShort(offset + TYPE_OFFSET, ACK_REQUEST_TYPE, ORDER);
        buffer.putShort(offset + FEED_ID_OFFSET, (short)feedId, ORDER);
        buffer.putInt(offset + FEED_ID_OFFSET + 2, 0, ORDER);
        return ACK_REQUEST_LENGTH;
    }

    /**
     * @param buffer holding an ingress message.
     * @param offset of the message.
     * @param length of the message.
     * @return true when it is an ack request ({@link #ackFeedId} reads its feed id).
     */
    public static boolean isAckRequest(final DirectBuffer buffer, final int offset, final int length)
    {
        return ACK_REQUEST_LENGTH == length && buffer.getShort(offset + TYPE_OFFSET, ORDER) == ACK_REQUEST_TYPE;
    }

    /**
     * @param buffer holding an ack.
     * @param offset of the ack.
     * @return its feed id.
     */
    public static int ackFeedId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + FEED_ID_OFFSET, ORDER) & 0xFFFF;
    }

    /**
     * @param buffer holding an ack.
     * @param offset of the ack.
     * @return the venue session epoch its last source sequence belongs to (0 from a sequencer before epochs).
     */
    public static int ackEpoch(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + EPOCH_OFFSET, ORDER) & 0xFFFF;
    }

    /**
     * @param buffer holding an ack.
     * @param offset of the ack.
     * @return its last source sequence.
     */
    public static long ackLastSourceSeq(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + LAST_SOURCE_SEQ_OFFSET, ORDER);
    }

    /**
     * @param buffer holding an ack.
     * @param offset of the ack.
     * @return its global sequence.
     */
    public static long ackGlobalSeq(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + GLOBAL_SEQ_OFFSET, ORDER);
    }

    /**
     * @param feedId the feed.
     * @param secret its secret.
     * @return encoded credentials.
     */
    public static byte[] encodeCredentials(final int feedId, final String secret)
    {
        return (feedId + ":" + secret).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param feedId the authenticated feed.
     * @return the encoded principal.
     */
    public static byte[] encodePrincipal(final int feedId)
    {
        return Integer.toString(feedId).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param encodedPrincipal as stored with a cluster session, possibly empty.
     * @return the feed id, or {@link #ANY_FEED} when the principal names no feed.
     */
    public static int decodePrincipal(final byte[] encodedPrincipal)
    {
        if (null == encodedPrincipal || 0 == encodedPrincipal.length)
        {
            return ANY_FEED;
        }
        try
        {
            return Integer.parseInt(new String(encodedPrincipal, StandardCharsets.UTF_8));
        }
        catch (final NumberFormatException ex)
        {
            return ANY_FEED;
        }
    }

    /**
     * Check a feed id as configured.
     *
     * @param feedId the value.
     * @return the value.
     * @throws IllegalArgumentException when it is not a uint16.
     */
    public static int checkFeedId(final int feedId)
    {
        if (feedId < 0 || feedId > 0xFFFF)
        {
            throw new IllegalArgumentException("feed id must be 0..65535: " + feedId);
        }
        return feedId;
    }
}
