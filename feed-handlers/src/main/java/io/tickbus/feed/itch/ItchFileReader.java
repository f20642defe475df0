package io.tickbus.feed.itch;

import io.tickbus.feed.FeedStats;
import io.tickbus.feed.PacketSource;
import io.tickbus.feed.pcap.CaptureReader;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * A NASDAQ ITCH 5.0 binary file as NASDAQ distributes its day files: each message preceded by a 2-byte big-endian
 * length; plain or gzip (detected by magic). Each message is one packet of this {@link PacketSource}
 * ({@link Framing#ITCH_MESSAGE}); the file has no capture times, so {@link #timeNs()} is the message's own
 * timestamp on the trading date (what pacing by {@code --speed} follows).
 * <p>
 * A length prefix of 0 is counted as malformed and skipped; a message cut short by the end of the file, or a
 * corrupt gzip stream, is counted as malformed and ends the file.
 * <p>
 * Threading: one thread. Allocation: none per message.
 */
public final class ItchFileReader implements PacketSource
{
    private final InputStream in;
    private final FeedStats stats;
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[2 + 0xFFFF]);
    private long position;
    private long recordOffset;
    private long records;
    private int length;
    private boolean ended;
    private final long midnightEpochNs;

    /**
     * @param file the ITCH file.
     * @param stats told about truncation and corruption.
     * @param tradingDate the trading date, for {@link #timeNs()}.
     * @throws IOException when missing or unreadable.
     */
    public ItchFileReader(final Path file, final FeedStats stats, final LocalDate tradingDate) throws IOException
    {
        this.midnightEpochNs = ItchTime.midnightEpochNs(tradingDate);
        this.in = CaptureReader.openMaybeGzip(file);
        this.stats = null == stats ? FeedStats.NONE : stats;
    }

    /** {@inheritDoc} */
    public boolean next()
    {
        while (!ended)
        {
            recordOffset = position;
            final int n = read(0, 2);
            if (n < 2)
            {
                if (n > 0 && !ended)
                {
                    stats.onMalformed("ITCH file ends inside a length prefix", records + 1, recordOffset);
                }
                ended = true;
                return false;
            }
            final int messageLength = buffer.getShort(0, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            if (0 == messageLength)
            {
                records++;
                stats.onMalformed("ITCH record with length 0", records, recordOffset);
                continue;
            }
            final int got = read(2, messageLength);
            if (got < messageLength)
            {
                if (!ended)
                {
                    stats.onMalformed("ITCH message cut short by the end of the file (" + got + " of " +
                        messageLength + " bytes)", records + 1, recordOffset);
                }
                ended = true;
                return false;
            }
            records++;
            length = messageLength;
            return true;
        }
        return false;
    }

    private int read(final int offset, final int length)
    {
        final byte[] dst = buffer.byteArray();
        int total = 0;
        try
        {
            while (total < length)
            {
                final int n = in.read(dst, offset + total, length - total);
                if (n < 0)
                {
                    break;
                }
                total += n;
            }
        }
        catch (final IOException ex)
        {
            position += total;
            stats.onMalformed("corrupt ITCH file stream (" + ex.getMessage() + ")", records + 1, recordOffset);
            ended = true;
            return total;
        }
        position += total;
        return total;
    }

    /** {@inheritDoc} */
    public boolean isEnded()
    {
        return ended;
    }

    /** {@inheritDoc} */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** {@inheritDoc} */
    public int offset()
    {
        return 2;
    }

    /** {@inheritDoc} */
    public int length()
    {
        return length;
    }

    /** {@inheritDoc} */
    public long timeNs()
    {
        return length >= ItchMessages.HEADER_LENGTH ? midnightEpochNs + ItchMessages.timestamp(buffer, 2) : 0;
    }

    /** {@inheritDoc} */
    public long packetNumber()
    {
        return records;
    }

    /** {@inheritDoc} */
    public long fileOffset()
    {
        return recordOffset;
    }

    /** {@inheritDoc} */
    public Framing framing()
    {
        return Framing.ITCH_MESSAGE;
    }

    /** {@inheritDoc} */
    public void close()
    {
        try
        {
            in.close();
        }
        catch (final IOException ignore)
        {
            // read-only
        }
    }
}
