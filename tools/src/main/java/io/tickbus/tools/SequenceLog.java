package io.tickbus.tools;

import io.tickbus.client.CommonBlock;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The history of a sequenced stream as one subscriber saw it, for a checker: for every delivered message that
 * carries a global sequence, one record of three little-endian longs (global sequence, feed id, source sequence),
 * appended to a file in delivery order. Buffered in a direct buffer written out when full and on {@link #close()};
 * a process killed with SIGKILL loses what is still buffered (pause a subscriber, do not kill it, when its history
 * counts).
 * <p>
 * Threading: the subscriber's polling thread only. Allocation: none per message.
 */
public final class SequenceLog implements AutoCloseable
{
    /** Bytes per record: three longs. */
    public static final int RECORD_LENGTH = 3 * Long.BYTES;
    private static final int BUFFER_RECORDS = 4096;

    private final FileChannel channel;
    private final ByteBuffer buffer = BufferUtil.allocateDirectAligned(RECORD_LENGTH * BUFFER_RECORDS, 64)
        .order(ByteOrder.LITTLE_ENDIAN);
    private long records;

    private SequenceLog(final FileChannel channel)
    {
        this.channel = channel;
    }

    /**
     * Open a log, appending to the file when it exists.
     *
     * @param file the file, or null for none.
     * @return the log, or null when {@code file} is null (try-with-resources accepts it).
     */
    public static SequenceLog open(final Path file)
    {
        if (null == file)
        {
            return null;
        }
        try
        {
            return new SequenceLog(FileChannel.open(file,
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND));
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot open --seq-log " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Record a message when it is sequenced (global sequence not 0).
     *
     * @param message buffer holding a Tickbus message.
     * @param offset where the message (its SBE header) starts.
     */
    public void onMessage(final DirectBuffer message, final int offset)
    {
        final long globalSeq = CommonBlock.globalSeq(message, offset);
        if (0 != globalSeq)
        {
            append(globalSeq, CommonBlock.feedId(message, offset), CommonBlock.sourceSeq(message, offset));
        }
    }

    /**
     * Append one record.
     *
     * @param globalSeq global sequence.
     * @param feedId feed id.
     * @param sourceSeq source sequence.
     */
    public void append(final long globalSeq, final long feedId, final long sourceSeq)
    {
        if (buffer.remaining() < RECORD_LENGTH)
        {
            flush();
        }
        buffer.putLong(globalSeq).putLong(feedId).putLong(sourceSeq);
        records++;
    }

    /** @return records appended by this instance. */
    public long records()
    {
        return records;
    }

    /** Write out what is buffered. */
    public void flush()
    {
        buffer.flip();
        try
        {
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("--seq-log write failed", ex);
        }
        finally
        {
            buffer.clear();
        }
    }

    /** Flush and close the file. */
    public void close()
    {
        try
        {
            flush();
        }
        finally
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                System.err.println("tickbus: closing --seq-log: " + ex.getMessage());
            }
        }
    }
}
