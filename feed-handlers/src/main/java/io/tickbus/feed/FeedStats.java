package io.tickbus.feed;

/**
 * What a {@link PacketDecoder} reports besides the messages it publishes: the numbers an operator checks
 * ({@link ParseSummary} offline, {@link FeedCounters} as Aeron counters in a running handler).
 * <p>
 * Threading: called on the decoder's thread only. Implementations allocate nothing per call on the normal path
 * ({@code venueType} is a constant String).
 */
public interface FeedStats
{
    /** One transport packet: a UDP datagram or a framed record of a file. */
    void onPacket();

    /** A packet that carried no venue message (e.g. a MoldUDP64 heartbeat). */
    void onHeartbeat();

    /**
     * One venue message decoded.
     *
     * @param venueType the venue's own type code as a constant String ("A", "Q", "46").
     * @param exchangeTimeNs the message's exchange time, epoch ns, 0 when it carries none.
     */
    void onMessage(String venueType, long exchangeTimeNs);

    /**
     * A packet or message that could not be decoded: it was counted and skipped.
     *
     * @param reason short description, e.g. "truncated message type A".
     * @param packetNumber 1-based packet (or record) number in the source.
     * @param fileOffset byte offset in the (uncompressed) file, -1 when not from a file.
     */
    void onMalformed(String reason, long packetNumber, long fileOffset);

    /**
     * A venue sequence gap.
     *
     * @param fromSeq first missing sequence number.
     * @param toSeq last missing sequence number, inclusive.
     */
    void onGap(long fromSeq, long toSeq);

    /**
     * The result of handing one normalized message to the sink (see {@link io.tickbus.client.MessageSink}).
     *
     * @param result positive when accepted, negative when refused or dropped.
     */
    default void onPublishResult(final long result)
    {
    }

    /** A FeedStats that counts nothing. */
    FeedStats NONE = new FeedStats()
    {
        public void onPacket()
        {
        }

        public void onHeartbeat()
        {
        }

        public void onMessage(final String venueType, final long exchangeTimeNs)
        {
        }

        public void onMalformed(final String reason, final long packetNumber, final long fileOffset)
        {
        }

        public void onGap(final long fromSeq, final long toSeq)
        {
        }
    };
}
