package io.tickbus.feed.itch;

import io.tickbus.feed.DecoderContext;
import io.tickbus.feed.PacketDecoder;
import org.agrona.DirectBuffer;

/**
 * NASDAQ MoldUDP64 packets carrying TotalView-ITCH 5.0 messages (work in progress).
 */
public final class MoldUdp64Decoder implements PacketDecoder
{
    /**
     * @param ctx decoder context.
     */
    public MoldUdp64Decoder(final DecoderContext ctx)
    {
    }

    /** {@inheritDoc} */
    public void onPacket(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final long receiveTimeNs,
        final long packetNumber,
        final long fileOffset)
    {
    }
}
