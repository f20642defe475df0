package io.tickbus.archive;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * Advisory locks, one file per (day, stream) under the archive directory, that a {@link
 * io.tickbus.archive.client.DayReplayer} holds while it reads a day so that retention never purges a day being
 * replayed, whether the replay runs in the archive's process or another one (operating-system file locks are
 * released when a process dies).
 * <p>
 * Thread safe. Allocation: a channel per lock.
 */
public final class ReplayLocks
{
    /** Directory of the lock files inside the archive directory. */
    public static final String LOCK_DIR = "tickbus-replay-locks";

    private static final Map<Path, Held> HELD = new HashMap<>();

    private ReplayLocks()
    {
    }

    /**
     * Take the lock of a day for a replay.
     *
     * @param archiveDir the archive directory.
     * @param day trading day.
     * @param streamId stream.
     * @return the held lock; close it when the replay ends.
     * @throws IOException when the lock file cannot be created.
     */
    public static AutoCloseable acquireShared(final Path archiveDir, final LocalDate day, final int streamId)
        throws IOException
    {
        final Path file = file(archiveDir, day, streamId).toAbsolutePath();
        synchronized (HELD)
        {
            final Held held = HELD.get(file);
            if (null != held)
            {
                held.count++;
                return () -> release(file);
            }
            final FileChannel channel = open(archiveDir, day, streamId);
            try
            {
                // Shared: replays in several processes may read one day; purge asks for an exclusive lock.
                HELD.put(file, new Held(channel, channel.lock(0, Long.MAX_VALUE, true)));
                return () -> release(file);
            }
            catch (final IOException | RuntimeException ex)
            {
                channel.close();
                throw ex;
            }
        }
    }

    private static void release(final Path file) throws IOException
    {
        synchronized (HELD)
        {
            final Held held = HELD.get(file);
            if (null != held && --held.count == 0)
            {
                HELD.remove(file);
                held.lock.release();
                held.channel.close();
            }
        }
    }

    private static final class Held
    {
        final FileChannel channel;
        final FileLock lock;
        int count = 1;

        Held(final FileChannel channel, final FileLock lock)
        {
            this.channel = channel;
            this.lock = lock;
        }
    }

    /**
     * @param archiveDir the archive directory.
     * @param day trading day.
     * @param streamId stream.
     * @return true when a replay (in this or another process) holds the day.
     */
    public static boolean isReplaying(final Path archiveDir, final LocalDate day, final int streamId)
    {
        final Path file = file(archiveDir, day, streamId);
        synchronized (HELD)
        {
            if (HELD.containsKey(file.toAbsolutePath()))
            {
                return true;
            }
        }
        if (!Files.exists(file))
        {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ))
        {
            final FileLock lock = channel.tryLock(0, Long.MAX_VALUE, false);
            if (null == lock)
            {
                return true;
            }
            lock.release();
            return false;
        }
        catch (final OverlappingFileLockException ex)
        {
            return true;
        }
        catch (final IOException ex)
        {
            return true;
        }
    }

    private static FileChannel open(final Path archiveDir, final LocalDate day, final int streamId) throws IOException
    {
        Files.createDirectories(archiveDir.resolve(LOCK_DIR));
        return FileChannel.open(
            file(archiveDir, day, streamId), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.READ);
    }

    private static Path file(final Path archiveDir, final LocalDate day, final int streamId)
    {
        return archiveDir.resolve(LOCK_DIR).resolve(day + "-" + streamId + ".lock");
    }
}
