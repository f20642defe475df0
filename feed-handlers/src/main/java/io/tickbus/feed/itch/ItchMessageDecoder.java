package io.tickbus.feed.itch;

import io.tickbus.feed.DecoderContext;
import io.tickbus.feed.FeedStats;
import io.tickbus.feed.PacketDecoder;
import org.agrona.DirectBuffer;

/**
 * {@link PacketDecoder} for sources whose packets are single ITCH messages (the binary file framing, see
 * {@link ItchFileReader}): one packet, one message, whose source sequence is its record number in the file.
 * <p>
 * Threading: one thread. Allocation: none per message.
 */
public final class ItchMessageDecoder implements PacketDecoder
{
    private final ItchNormalizer normalizer;
    private final FeedStats stats;

    /**
     * @param ctx sink, stats, feed id and trading date.
     */
    public ItchMessageDecoder(final DecoderContext ctx)
    {
        ctx.conclude();
        this.stats = ctx.stats();
        this.normalizer = new ItchNormalizer(ctx);
    }

    /** @return the normalizer. */
    public ItchNormalizer normalizer()
    {
        return normalizer;
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
        stats.onPacket();
        normalizer.onMessage(buffer, offset, length, packetNumber, receiveTimeNs, packetNumber, fileOffset);
    }
}
