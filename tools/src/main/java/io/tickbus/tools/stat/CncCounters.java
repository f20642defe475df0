package io.tickbus.tools.stat;

import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Read-only view of a media driver's counters, mapped read-only from its CnC file ({@code cnc.dat}) as AeronStat
 * reads it: no Aeron client is connected and nothing is written, so watching a driver does not change it.
 * <p>
 * Threading: {@link #snapshot()} may be called from several threads (counters are read with volatile reads).
 * Allocation: a snapshot allocates its rows (a cold path, once per refresh or scrape).
 */
public final class CncCounters implements AutoCloseable
{
    /**
     * One counter's state at a snapshot.
     *
     * @param id counter id (reused after a counter is freed).
     * @param registrationId registration id (unique per driver run).
     * @param typeId counter type id (Aeron's below 1000, Tickbus's from 710100).
     * @param label the counter's label.
     * @param value its value.
     */
    public record Counter(int id, long registrationId, int typeId, String label, long value)
    {
    }

    private final File directory;
    private final MappedByteBuffer cncByteBuffer;
    private final CountersReader counters;
    private final ManyToOneRingBuffer toDriver;
    private final long pid;

    private CncCounters(final File directory, final MappedByteBuffer cncByteBuffer)
    {
        this.directory = directory;
        this.cncByteBuffer = cncByteBuffer;
        final UnsafeBuffer meta = CncFileDescriptor.createMetaDataBuffer(cncByteBuffer);
        final int version = meta.getIntVolatile(CncFileDescriptor.cncVersionOffset(0));
        if (0 == version)
        {
            IoUtil.unmap(cncByteBuffer);
            throw new IllegalStateException("media driver in " + directory + " is still starting (CnC not ready)");
        }
        try
        {
            CncFileDescriptor.checkVersion(version);
        }
        catch (final RuntimeException ex)
        {
            IoUtil.unmap(cncByteBuffer);
            throw new IllegalStateException("media driver in " + directory + ": " + ex.getMessage());
        }
        counters = new CountersReader(
            CncFileDescriptor.createCountersMetaDataBuffer(cncByteBuffer, meta),
            CncFileDescriptor.createCountersValuesBuffer(cncByteBuffer, meta));
        toDriver = new ManyToOneRingBuffer(CncFileDescriptor.createToDriverBuffer(cncByteBuffer, meta));
        pid = CncFileDescriptor.pid(meta);
    }

    /**
     * @param directory the driver directory.
     * @return the mapped counters.
     * @throws IllegalStateException when no driver has its CnC file there.
     */
    public static CncCounters open(final String directory)
    {
        final File dir = new File(directory);
        final File cnc = new File(dir, CncFileDescriptor.CNC_FILE);
        if (!cnc.isFile() || cnc.length() < CncFileDescriptor.END_OF_METADATA_OFFSET)
        {
            throw new IllegalStateException("no media driver in " + directory + " (no " + CncFileDescriptor.CNC_FILE +
                "; start one with 'tickbus driver --dir " + directory + "')");
        }
        return new CncCounters(
            dir, IoUtil.mapExistingFile(cnc, FileChannel.MapMode.READ_ONLY, CncFileDescriptor.CNC_FILE));
    }

    /** @return the default driver directory, as Aeron clients find it. */
    public static String defaultDirectory()
    {
        return System.getProperty(CommonContext.AERON_DIR_PROP_NAME, CommonContext.getAeronDirectoryName());
    }

    /** @return every allocated counter now, in id order. */
    public List<Counter> snapshot()
    {
        final List<Counter> rows = new ArrayList<>();
        counters.forEach((counterId, typeId, keyBuffer, label) -> rows.add(new Counter(
            counterId, counters.getCounterRegistrationId(counterId), typeId, label,
            counters.getCounterValue(counterId))));
        return rows;
    }

    /** @return the counters, for a {@link CounterTable} to refresh from. */
    public CountersReader reader()
    {
        return counters;
    }

    /** @return epoch ms of the driver's last heartbeat. */
    public long driverHeartbeatMs()
    {
        return toDriver.consumerHeartbeatTime();
    }

    /** @return the driver's process id. */
    public long pid()
    {
        return pid;
    }

    /** @return the driver directory. */
    public File directory()
    {
        return directory;
    }

    /** Unmap the CnC file. */
    public void close()
    {
        IoUtil.unmap(cncByteBuffer);
    }
}
