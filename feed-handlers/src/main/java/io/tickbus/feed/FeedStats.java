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

    /**
     * Report to two stats at once (e.g. Aeron counters and a summary).
     *
     * @param first told first.
     * @param second told second.
     * @return a FeedStats forwarding every call to both.
     */
    static FeedStats compose(final FeedStats first, final FeedStats second)
    {
        return new FeedStats()
        {
            public void onPacket()
            {
                first.onPacket();
                second.onPacket();
            }

            public void onHeartbeat()
            {
                first.onHeartbeat();
                second.onHeartbeat();
            }

            public void onMessage(final String venueType, final long exchangeTimeNs)
            {
                first.onMessage(venueType, exchangeTimeNs);
                second.onMessage(venueType, exchangeTimeNs);
            }

            public void onMalformed(final String reason, final long packetNumber, final long fileOffset)
            {
                first.onMalformed(reason, packetNumber, fileOffset);
                second.onMalformed(reason, packetNumber, fileOffset);
            }

            public void onGap(final long fromSeq, final long toSeq)
            {
                first.onGap(fromSeq, toSeq);
                second.onGap(fromSeq, toSeq);
            }

            public void onPublishResult(final long result)
            {
                first.onPublishResult(result);
                second.onPublishResult(result);
            }
        };
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
