package io.tickbus.archive;

import io.aeron.archive.ArchiveMarkFile;
import io.tickbus.driver.OwnerOnlyDirectory;
import org.agrona.CloseHelper;

import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * A Tickbus archive's hold on its directory: the lock file {@value #LOCK_FILE} that keeps a second archive out,
 * the info file {@value #INFO_FILE} that tells {@code tickbus replay} and other processes on this host how to reach
 * the running archive ({@link #runningInfo(Path)}), and the clean-up of what a killed archive left behind (its info
 * file, Aeron's mark file, which would otherwise block the start until it timed out).
 * <p>
 * Threading: opened and closed by the thread that launches and closes the archive; {@link #runningInfo(Path)} from
 * any thread or process. Allocation: at open, at each info write and read.
 */
public final class ArchiveDirectory implements AutoCloseable
{
    /** File, in the archive directory, describing the running archive for its clients. */
    public static final String INFO_FILE = "tickbus-archive.properties";
    /** Lock file held by the running archive. */
    public static final String LOCK_FILE = "tickbus-archive.lock";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final boolean recoveredFromUncleanStop;

    private ArchiveDirectory(
        final Path dir, final FileChannel lockChannel, final FileLock lock, final boolean recoveredFromUncleanStop)
    {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.recoveredFromUncleanStop = recoveredFromUncleanStop;
    }

    /**
     * Create the directory (owner only), take its lock, and remove the stale files of an archive that was killed.
     *
     * @param dir the archive directory.
     * @param markFileDir where Aeron Archive keeps its mark file, or null for the archive directory.
     * @return the locked directory; {@link #close()} releases it.
     * @throws IllegalStateException when the directory cannot be created, written or locked, or another Tickbus
     * archive holds it.
     */
    static ArchiveDirectory lock(final Path dir, final Path markFileDir)
    {
        try
        {
            Files.createDirectories(dir);
            OwnerOnlyDirectory.restrict(dir);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot create archive directory " + dir + ": " + ex.getMessage(), ex);
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir))
        {
            throw new IllegalStateException("archive directory is not a writable directory: " + dir);
        }
        FileChannel channel = null;
        FileLock lock = null;
        try
        {
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = channel.tryLock();
        }
        catch (final OverlappingFileLockException ex)
        {
            lock = null;
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(channel);
            throw new IllegalStateException("cannot lock archive directory " + dir + ": " + ex.getMessage(), ex);
        }
        if (null == lock)
        {
            CloseHelper.quietClose(channel);
            throw new IllegalStateException("archive directory " + dir + " is in use by another tickbus archive");
        }

        // Holding the lock proves no Tickbus archive runs here: a leftover info file or Aeron mark file is from one
        // that was killed; the mark file would otherwise block the start until it timed out.
        final Path markFile = (null != markFileDir ? markFileDir : dir).resolve(ArchiveMarkFile.FILENAME);
        final boolean recovered;
        try
        {
            recovered = Files.exists(dir.resolve(INFO_FILE));
            Files.deleteIfExists(markFile);
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(channel);
            throw new IllegalStateException("cannot remove stale " + markFile + ": " + ex.getMessage(), ex);
        }
        return new ArchiveDirectory(dir, channel, lock, recovered);
    }

    /** @return true when the previous archive on this directory did not stop cleanly (its info file was left). */
    boolean recoveredFromUncleanStop()
    {
        return recoveredFromUncleanStop;
    }

    /**
     * Write the info file, atomically (a reader sees the old file or the new one, whole).
     *
     * @param aeronDirectoryName the driver directory clients connect through.
     * @param localControlStreamId the control stream on {@code aeron:ipc}.
     * @param udpControlChannel the UDP control channel, or null when there is none.
     * @param udpControlStreamId the control stream on the UDP control channel.
     * @param authenticated whether control clients must present a secret.
     * @param readers whether a read-only secret is configured.
     * @throws IllegalStateException when the file cannot be written.
     */
    void writeInfo(
        final String aeronDirectoryName,
        final int localControlStreamId,
        final String udpControlChannel,
        final int udpControlStreamId,
        final boolean authenticated,
        final boolean readers)
    {
        final Properties props = new Properties();
        props.setProperty("aeron.dir", aeronDirectoryName);
        props.setProperty("control.request.channel", "aeron:ipc");
        props.setProperty("control.stream", Integer.toString(localControlStreamId));
        if (null != udpControlChannel)
        {
            props.setProperty("control.udp.channel", udpControlChannel);
            props.setProperty("control.udp.stream", Integer.toString(udpControlStreamId));
        }
        props.setProperty("control.authenticated", Boolean.toString(authenticated));
        props.setProperty("control.readers", Boolean.toString(readers));
        props.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
        final Path file = dir.resolve(INFO_FILE);
        final Path tmp = dir.resolve(INFO_FILE + ".tmp");
        try
        {
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8))
            {
                props.store(out, "running tickbus archive");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * Read the info file of a running archive.
     *
     * @param archiveDir the archive directory.
     * @return its properties ({@code aeron.dir}, {@code control.request.channel}, {@code control.stream}).
     * @throws IllegalStateException when no archive is running there.
     */
    public static Properties runningInfo(final Path archiveDir)
    {
        final Path file = archiveDir.resolve(INFO_FILE);
        if (!Files.isRegularFile(file))
        {
            throw new IllegalStateException("no tickbus archive is running on " + archiveDir +
                " (start one with: tickbus archive --dir " + archiveDir + " --record CHANNEL:STREAM)");
        }
        if (!isLocked(archiveDir.resolve(LOCK_FILE)))
        {
            throw new IllegalStateException("no tickbus archive is running on " + archiveDir +
                " (its info file is left from an archive that stopped abnormally)");
        }
        final Properties props = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            props.load(in);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
        return props;
    }

    private static boolean isLocked(final Path lockFile)
    {
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE))
        {
            final FileLock probe = channel.tryLock();
            if (null == probe)
            {
                return true;
            }
            probe.release();
            return false;
        }
        catch (final OverlappingFileLockException ex)
        {
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /**
     * Remove the info file: the archive is stopping cleanly, and clients should no longer find it.
     */
    void deleteInfo()
    {
        try
        {
            Files.deleteIfExists(dir.resolve(INFO_FILE));
        }
        catch (final IOException ignore)
        {
            // the next launch overwrites it
        }
    }

    /**
     * Release the lock (another archive may then take the directory).
     */
    public void close()
    {
        try
        {
            lock.release();
        }
        catch (final IOException ignore)
        {
            // closing the channel releases it too
        }
        CloseHelper.quietClose(lockChannel);
    }
}
