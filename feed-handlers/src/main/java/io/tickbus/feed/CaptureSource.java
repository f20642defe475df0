package io.tickbus.feed;

import io.tickbus.feed.pcap.CaptureReader;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@link PacketSource} over a pcap / pcapng file: the UDP payloads of its records, with their capture times.
 * What the {@link CaptureReader} skips (non-UDP frames, bad headers, truncation, corrupt gzip) is reported to the
 * {@link FeedStats} as malformed, with packet number and file offset.
 * <p>
 * Threading: one thread. Allocation: none per packet.
 */
public final class CaptureSource implements PacketSource
{
    private final CaptureReader reader;

    /**
     * @param file capture file, plain or gzip.
     * @param stats told about what the reader skipped.
     * @throws IOException when missing or not a capture.
     */
    public CaptureSource(final Path file, final FeedStats stats) throws IOException
    {
        final FeedStats target = null == stats ? FeedStats.NONE : stats;
        reader = CaptureReader.open(file, target::onMalformed);
    }

    /** @return the reader, for its counters. */
    public CaptureReader reader()
    {
        return reader;
    }

    /** {@inheritDoc} */
    public boolean next()
    {
        return reader.next();
    }

    /** {@inheritDoc} */
    public boolean isEnded()
    {
        return reader.isEnded();
    }

    /** {@inheritDoc} */
    public DirectBuffer buffer()
    {
        return reader.buffer();
    }

    /** {@inheritDoc} */
    public int offset()
    {
        return reader.payloadOffset();
    }

    /** {@inheritDoc} */
    public int length()
    {
        return reader.payloadLength();
    }

    /** {@inheritDoc} */
    public long timeNs()
    {
        return reader.captureTimeNs();
    }

    /** {@inheritDoc} */
    public boolean hasCaptureTime()
    {
        return true;
    }

    /** {@inheritDoc} */
    public long packetNumber()
    {
        return reader.packetNumber();
    }

    /** {@inheritDoc} */
    public long fileOffset()
    {
        return reader.fileOffset();
    }

    /** {@inheritDoc} */
    public Framing framing()
    {
        return Framing.UDP_PAYLOAD;
    }

    /** {@inheritDoc} */
    public void close()
    {
        reader.close();
    }
}
