package io.tickbus.archive;

import org.agrona.collections.LongArrayList;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Positions by exchange time at a fixed granularity for one day segment of a recording: entry {@code i} says
 * that the first message whose exchange time falls in bucket {@code time[i]} starts at stream position
 * {@code position[i]}. Positions are the end positions of the preceding frames as Aeron's {@code Header} reported
 * them while the recording was read, so every indexed position is a frame boundary a replay may start at.
 * <p>
 * Written by one thread (the catalog agent); read by others only after it was stored and reloaded.
 * Allocation: amortised growth of two {@link LongArrayList}s, one entry per non-empty bucket.
 */
public final class TimeIndex
{
    private static final int MAGIC = 0x54424958; // "TBIX"

    private final LongArrayList times = new LongArrayList();
    private final LongArrayList positions = new LongArrayList();
    private final long granularityNs;

    /**
     * @param granularityNs bucket width in nanoseconds.
     */
    public TimeIndex(final long granularityNs)
    {
        if (granularityNs <= 0)
        {
            throw new IllegalArgumentException("index granularity must be positive: " + granularityNs);
        }
        this.granularityNs = granularityNs;
    }

    /**
     * Record a message; adds an entry when the message opens a bucket later than the last one.
     *
     * @param exchangeTimeNs the message's exchange time.
     * @param frameStartPosition where its first frame starts (the previous frame's header position).
     * @return true when an entry was added.
     */
    public boolean onMessage(final long exchangeTimeNs, final long frameStartPosition)
    {
        final long bucket = Math.floorDiv(exchangeTimeNs, granularityNs) * granularityNs;
        final int size = times.size();
        if (size == 0 || bucket > times.getLong(size - 1))
        {
            times.addLong(bucket);
            positions.addLong(frameStartPosition);
            return true;
        }
        return false;
    }

    /**
     * Where to start a replay so that no message at or after {@code timeNs} is missed.
     *
     * @param timeNs epoch nanoseconds.
     * @param fallback returned when the index has no entry at or before the time.
     * @return the position of the last entry whose bucket starts at or before the time.
     */
    public long startPositionFor(final long timeNs, final long fallback)
    {
        long result = fallback;
        for (int i = 0, size = times.size(); i < size; i++)
        {
            if (times.getLong(i) > timeNs)
            {
                break;
            }
            result = positions.getLong(i);
        }
        return result;
    }

    /**
     * Where a replay may stop and still include every message before {@code timeNs} (given exchange times that
     * do not go backwards by more than the granularity).
     *
     * @param timeNs epoch nanoseconds (exclusive end).
     * @param fallback returned when no bucket starts after the time.
     * @return the position of the first entry whose bucket starts after the bucket holding {@code timeNs}.
     */
    public long stopPositionFor(final long timeNs, final long fallback)
    {
        for (int i = 0, size = times.size(); i < size; i++)
        {
            if (times.getLong(i) > timeNs)
            {
                return positions.getLong(i);
            }
        }
        return fallback;
    }

    /** @return the number of entries. */
    public int size()
    {
        return times.size();
    }

    /**
     * @param i entry.
     * @return bucket start time of the entry, epoch ns.
     */
    public long time(final int i)
    {
        return times.getLong(i);
    }

    /**
     * @param i entry.
     * @return stream position of the entry.
     */
    public long position(final int i)
    {
        return positions.getLong(i);
    }

    /** @return bucket width in nanoseconds. */
    public long granularityNs()
    {
        return granularityNs;
    }

    /**
     * Drop entries at or beyond a position (used when resuming indexing after a restart).
     *
     * @param position first position to drop.
     */
    public void truncateFrom(final long position)
    {
        int size = times.size();
        while (size > 0 && positions.getLong(size - 1) >= position)
        {
            size--;
            times.removeAt(size);
            positions.removeAt(size);
        }
    }

    /**
     * Write atomically (temporary file then rename).
     *
     * @param file destination.
     * @throws IOException when it cannot be written.
     */
    public void store(final Path file) throws IOException
    {
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp))))
        {
            out.writeInt(MAGIC);
            out.writeLong(granularityNs);
            out.writeInt(times.size());
            for (int i = 0; i < times.size(); i++)
            {
                out.writeLong(times.getLong(i));
                out.writeLong(positions.getLong(i));
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * @param file an index file written by {@link #store(Path)}.
     * @return the index.
     * @throws IOException when missing, truncated or not an index file.
     */
    public static TimeIndex load(final Path file) throws IOException
    {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file))))
        {
            if (in.readInt() != MAGIC)
            {
                throw new IOException("not a Tickbus time index: " + file);
            }
            final TimeIndex index = new TimeIndex(in.readLong());
            final int count = in.readInt();
            for (int i = 0; i < count; i++)
            {
                index.times.addLong(in.readLong());
                index.positions.addLong(in.readLong());
            }
            return index;
        }
        catch (final EOFException ex)
        {
            throw new IOException("truncated time index: " + file, ex);
        }
    }
}
