package io.tickbus.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes the catalog's files so that a crash or power loss leaves either the old or the new version, complete:
 * the content goes to a temporary file that is forced to disk ({@link FileChannel#force(boolean)}), renamed over
 * the file atomically, and the directory is forced so the rename itself is durable.
 * <p>
 * Threading: any thread, one writer per file. Allocation: a file channel per write (not on a hot path).
 */
final class DurableFiles
{
    private DurableFiles()
    {
    }

    /**
     * Replace a file's content atomically and durably.
     *
     * @param file destination.
     * @param content the whole new content.
     * @throws IOException when it cannot be written (the previous version stays intact).
     */
    static void writeAtomically(final Path file, final byte[] content) throws IOException
    {
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            final ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(file.toAbsolutePath().getParent());
    }

    /**
     * Create a directory (and its parents) when missing, durably: the parent is forced after a creation.
     *
     * @param dir the directory.
     * @throws IOException when it cannot be created.
     */
    static void createDirectory(final Path dir) throws IOException
    {
        if (!Files.isDirectory(dir))
        {
            Files.createDirectories(dir);
            forceDirectory(dir.toAbsolutePath().getParent());
        }
    }

    /**
     * Force a directory's entries (a rename, a creation, a deletion in it) to disk.
     *
     * @param dir the directory.
     * @throws IOException when it cannot be forced.
     */
    static void forceDirectory(final Path dir) throws IOException
    {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }
}
