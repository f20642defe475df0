package io.tickbus.feed;

import org.agrona.DirectBuffer;

/**
 * One venue's decoder and normalizer: takes one transport packet (a UDP payload, or one framed record of a
 * venue file), decodes every venue message in it, reports to its {@link FeedStats} and publishes the normalized
 * Tickbus messages to the {@link io.tickbus.client.MessageSink} it was constructed with.
 * <p>
 * Contract on bad input: never throws for anything in the bytes; a malformed message is counted with
 * {@link FeedStats#onMalformed(String, long, long)}, skipped, and never published half-decoded; the rest of the
 * packet is decoded when the framing still allows it.
 * <p>
 * Threading: one thread. Implementations allocate nothing per packet in steady state.
 */
@FunctionalInterface
public interface PacketDecoder
{
    /**
     * Decode one transport packet and publish normalized Tickbus messages to the sink given at construction.
     *
     * @param buffer holding the packet.
     * @param offset of the packet's first byte (the venue transport header).
     * @param length of the packet.
     * @param receiveTimeNs epoch ns the packet was received (or captured), stamped as receive time.
     * @param packetNumber 1-based packet (record) number in the source, for error reports.
     * @param fileOffset byte offset of the packet in the source file, -1 when live.
     */
    void onPacket(DirectBuffer buffer, int offset, int length, long receiveTimeNs, long packetNumber, long fileOffset);

    /**
     * Before the first packet: expect this venue sequence number next (a restarted handler resuming after what
     * the sequencer last took for its feed). Decoders without sequence tracking ignore it.
     *
     * @param nextVenueSeq the venue sequence number expected next.
     * @param epoch the venue session epoch the sequencer last took for the feed, stamped from now on.
     * @return true when the expectation was taken.
     */
    default boolean resume(final long nextVenueSeq, final int epoch)
    {
        return false;
    }

    /**
     * Called once when the source is exhausted (end of file); live handlers never call it.
     */
    default void onEndOfInput()
    {
    }
}
