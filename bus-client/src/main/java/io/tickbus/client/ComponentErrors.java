package io.tickbus.client;

import io.aeron.Aeron;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.CountedErrorHandler;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.errors.DistinctErrorLog;
import org.agrona.concurrent.errors.ErrorConsumer;
import org.agrona.concurrent.errors.ErrorLogReader;
import org.agrona.concurrent.errors.LoggingErrorHandler;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * The one error path of a Tickbus component, Aeron's way: a {@link CountedErrorHandler} over a
 * {@link DistinctErrorLog} kept in a small memory-mapped errors file the component owns
 * ({@code NAME-errors.dat}, by default in the directory of the media driver it is a client of), plus an Aeron
 * counter of errors. {@code tickbus errors} reads the file as Aeron's {@code ErrorStat} reads the CnC file: each
 * distinct error with its count and its first and last time.
 * <p>
 * The file outlives the process, so that an operator can read the errors of a component that died; a component
 * that closes without having logged an error removes it. Errors reported after {@link #close()} go to the next
 * handler only.
 * <p>
 * Threading: {@link #errorHandler()} may be called from any thread. Allocation: the file and buffer at creation;
 * an error allocates what {@link DistinctErrorLog} needs for a new distinct error (a repeat allocates nothing but
 * its stack trace, which the throwable already holds).
 */
public final class ComponentErrors implements AutoCloseable
{
    /** How the name of every errors file ends. */
    public static final String FILE_SUFFIX = "-errors.dat";
    /** System property: length in bytes of the error buffer of an errors file. */
    public static final String BUFFER_LENGTH_PROP_NAME = "tickbus.errors.buffer.length";
    /** Default length of the error buffer: 1 MiB (the file is sparse until errors fill it). */
    public static final int BUFFER_LENGTH_DEFAULT = 1024 * 1024;
    /** Counter type id: errors of a component that has no errors counter of its own. */
    public static final int ERRORS_TYPE_ID = TickbusCounters.COMPONENT_ERRORS;

    /** Magic number at offset 0 ("TBER"). */
    static final int MAGIC = 0x54424552;
    /** Header: magic (int), header length (int), pid (long), start epoch ms (long), then the name, padded. */
    static final int HEADER_LENGTH = 128;
    private static final int HEADER_LENGTH_OFFSET = 4;
    private static final int PID_OFFSET = 8;
    private static final int START_TIME_OFFSET = 16;
    private static final int NAME_LENGTH_OFFSET = 24;
    private static final int NAME_OFFSET = 28;
    private static final int NAME_MAX_LENGTH = HEADER_LENGTH - NAME_OFFSET;

    private final File file;
    private final MappedByteBuffer mapped;
    private final AtomicBuffer errorBuffer;
    private final LoggingErrorHandler loggingHandler;
    private final AtomicCounter counter;
    private final boolean ownsCounter;
    private final ErrorHandler logThenNext;
    private final CountedErrorHandler countedHandler;
    private final ErrorHandler openCountedHandler;

    private ComponentErrors(
        final File file,
        final MappedByteBuffer mapped,
        final AtomicBuffer errorBuffer,
        final ErrorHandler next,
        final AtomicCounter counter,
        final boolean ownsCounter)
    {
        this.file = file;
        this.mapped = mapped;
        this.errorBuffer = errorBuffer;
        this.counter = counter;
        this.ownsCounter = ownsCounter;
        this.loggingHandler = new LoggingErrorHandler(new DistinctErrorLog(errorBuffer, SystemEpochClock.INSTANCE));
        this.logThenNext = null == next ? loggingHandler : (ex) ->
        {
            loggingHandler.onError(ex);
            next.onError(ex);
        };
        this.countedHandler = new CountedErrorHandler(logThenNext, counter);
        // A counter closes with its Aeron client (a lost driver, a rebuilt client): then log without counting, as
        // OpenCounters does, rather than write into the unmapped counters file.
        this.openCountedHandler = (ex) ->
        {
            if (counter.isClosed())
            {
                logThenNext.onError(ex);
            }
            else
            {
                countedHandler.onError(ex);
            }
        };
    }

    /**
     * Create the errors file of a component in its Aeron client's directory and add an errors counter
     * ({@link #ERRORS_TYPE_ID}, labelled {@code tickbus errors: NAME}).
     *
     * @param aeron the component's client (the counter is closed by {@link #close()}).
     * @param name the component, e.g. {@code feed-itch}; the process id is added to the file's name.
     * @param next also receives every error (e.g. a command's one-line report), or null.
     * @return the error path; close it before the Aeron client.
     */
    public static ComponentErrors create(final Aeron aeron, final String name, final ErrorHandler next)
    {
        final AtomicCounter counter = aeron.addCounter(ERRORS_TYPE_ID, "tickbus errors: " + name);
        try
        {
            return create(new File(aeron.context().aeronDirectoryName()), name, next, counter, true);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(counter);
            throw ex;
        }
    }

    /**
     * Create the errors file of a component in a directory, counting on a counter the component already has.
     *
     * @param dir where the file goes (created when missing).
     * @param name the component; the process id is added to the file's name.
     * @param next also receives every error, or null.
     * @param counter counts every error (not closed by {@link #close()}).
     * @return the error path.
     */
    public static ComponentErrors create(
        final File dir, final String name, final ErrorHandler next, final AtomicCounter counter)
    {
        return create(dir, name, next, counter, false);
    }

    private static ComponentErrors create(
        final File dir, final String name, final ErrorHandler next, final AtomicCounter counter, final boolean owns)
    {
        final int bufferLength = Integer.getInteger(BUFFER_LENGTH_PROP_NAME, BUFFER_LENGTH_DEFAULT);
        if (bufferLength < 1024)
        {
            throw new IllegalArgumentException(BUFFER_LENGTH_PROP_NAME + " must be at least 1024: " + bufferLength);
        }
        if (!dir.isDirectory() && !dir.mkdirs())
        {
            throw new IllegalStateException("cannot create directory for errors file: " + dir);
        }
        final long pid = ProcessHandle.current().pid();
        final String base = sanitise(name) + "-" + pid;
        File file = new File(dir, base + FILE_SUFFIX);
        try
        {
            for (int i = 2; !file.createNewFile(); i++)
            {
                file = new File(dir, base + "-" + i + FILE_SUFFIX);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create errors file in " + dir, ex);
        }
        final MappedByteBuffer mapped;
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw"))
        {
            raf.setLength(HEADER_LENGTH + (long)bufferLength);
            mapped = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, HEADER_LENGTH + (long)bufferLength);
        }
        catch (final IOException ex)
        {
            IoUtil.delete(file, true);
            throw new UncheckedIOException("cannot map errors file " + file, ex);
        }
        final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        final byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        final int nameLength = Math.min(nameBytes.length, NAME_MAX_LENGTH);
        header.putInt(HEADER_LENGTH_OFFSET, HEADER_LENGTH);
        header.putLong(PID_OFFSET, pid);
        header.putLong(START_TIME_OFFSET, System.currentTimeMillis());
        header.putInt(NAME_LENGTH_OFFSET, nameLength);
        header.putBytes(NAME_OFFSET, nameBytes, 0, nameLength);
        header.putIntOrdered(0, MAGIC);
        return new ComponentErrors(
            file, mapped, new UnsafeBuffer(mapped, HEADER_LENGTH, bufferLength), next, counter, owns);
    }

    private static String sanitise(final String name)
    {
        final StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            sb.append(Character.isLetterOrDigit(c) || '-' == c || '_' == c || '.' == c ? c : '_');
        }
        return sb.length() > 0 ? sb.toString() : "component";
    }

    /** @return the handler every error of the component goes to: logged, counted, then passed to the next one. */
    public ErrorHandler errorHandler()
    {
        return openCountedHandler;
    }

    /**
     * The handler for an Agrona {@code AgentRunner} or {@code AgentInvoker} that is given {@link #counter()} and
     * counts for itself: it logs and passes on without counting again.
     *
     * @return the handler.
     */
    public ErrorHandler uncountedErrorHandler()
    {
        return logThenNext;
    }

    /** @return the counter of errors. */
    public AtomicCounter counter()
    {
        return counter;
    }

    /** @return the errors file. */
    public File file()
    {
        return file;
    }

    /** Stop logging, unmap the file (removed when no error was logged) and close the counter when it is owned. */
    public void close()
    {
        if (countedHandler.isClosed())
        {
            return;
        }
        countedHandler.close();
        loggingHandler.close();
        final boolean empty = !ErrorLogReader.hasErrors(errorBuffer);
        IoUtil.unmap(mapped);
        if (empty)
        {
            IoUtil.delete(file, true);
        }
        if (ownsCounter)
        {
            CloseHelper.close(counter);
        }
    }

    /**
     * @param file a file.
     * @return true when it is a Tickbus errors file (by name).
     */
    public static boolean isErrorsFile(final File file)
    {
        return file.isFile() && file.getName().endsWith(FILE_SUFFIX);
    }

    /**
     * Read the distinct errors of an errors file (live or left by a process that ended).
     *
     * @param file an errors file.
     * @param consumer receives each distinct error: count, first and last epoch ms, the encoded exception.
     * @return the number of distinct errors.
     * @throws IllegalStateException when the file is not a Tickbus errors file.
     */
    public static int read(final File file, final ErrorConsumer consumer)
    {
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(file, "errors file");
        try
        {
            final UnsafeBuffer header = new UnsafeBuffer(mapped);
            if (header.capacity() < HEADER_LENGTH || MAGIC != header.getIntVolatile(0))
            {
                throw new IllegalStateException("not a Tickbus errors file: " + file);
            }
            final int headerLength = header.getInt(HEADER_LENGTH_OFFSET);
            return ErrorLogReader.read(
                new UnsafeBuffer(mapped, headerLength, header.capacity() - headerLength), consumer);
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
    }

    /**
     * @param file an errors file.
     * @return the component's name and process id as written in the header, e.g. {@code feed-itch pid=123}.
     */
    public static String describe(final File file)
    {
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(file, "errors file");
        try
        {
            final UnsafeBuffer header = new UnsafeBuffer(mapped);
            if (header.capacity() < HEADER_LENGTH || MAGIC != header.getIntVolatile(0))
            {
                throw new IllegalStateException("not a Tickbus errors file: " + file);
            }
            final int nameLength = Math.min(header.getInt(NAME_LENGTH_OFFSET), NAME_MAX_LENGTH);
            return header.getStringWithoutLengthUtf8(NAME_OFFSET, nameLength) + " pid=" + header.getLong(PID_OFFSET);
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
    }
}
