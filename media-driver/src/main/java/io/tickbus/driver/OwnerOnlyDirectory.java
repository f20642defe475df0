package io.tickbus.driver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Makes a Tickbus directory (driver, archive, cluster member) readable, writable and listable by its owner only
 * (0700): the log buffers, counters and recordings inside carry the market data, and on a shared host other users
 * must not read them or inject into them. Files inside keep their own modes but cannot be reached through the
 * directory.
 * <p>
 * Threading: any. Allocation: per call (start-up only).
 */
public final class OwnerOnlyDirectory
{
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(
        PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private OwnerOnlyDirectory()
    {
    }

    /**
     * Restrict a directory to its owner, where the file system has POSIX permissions (a no-op elsewhere).
     *
     * @param dir an existing directory.
     * @throws UncheckedIOException when the permissions cannot be set.
     */
    public static void restrict(final Path dir)
    {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix") || !Files.isDirectory(dir))
        {
            return;
        }
        try
        {
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot restrict " + dir + " to its owner: " + ex.getMessage(), ex);
        }
    }
}
