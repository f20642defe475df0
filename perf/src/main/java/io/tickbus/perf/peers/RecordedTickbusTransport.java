package io.tickbus.perf.peers;

import io.aeron.Aeron;
import io.tickbus.archive.TickbusArchive;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tickbus direct IPC (exactly {@link TickbusTransport}) with the ping stream and the throughput stream recorded by a
 * real {@link TickbusArchive} on the same driver, the durable case of issue 7. The archive is one more subscriber of
 * each recorded IPC publication, so the publisher is flow-controlled by the slower of the consumer and the archive:
 * the throughput measured is what the bus delivers while the archive keeps up. Recordings go to a fresh directory
 * under the given parent (a real file system, like Chronicle Queue's), deleted on close.
 * <p>
 * Threading: as {@link PeerTransport}; the archive runs its own threads (SHARED, back-off). Allocates the archive on
 * construction.
 */
public final class RecordedTickbusTransport implements PeerTransport
{
    private final TickbusTransport direct;
    private final TickbusArchive archive;
    private final Path dir;

    /**
     * Launch the archive on the driver and start recording the ping and throughput streams.
     *
     * @param aeron client connected to the driver.
     * @param aeronDirectoryName of the driver, for the archive.
     * @param parentDir where the archive directory is made.
     */
    public RecordedTickbusTransport(final Aeron aeron, final String aeronDirectoryName, final File parentDir)
    {
        try
        {
            dir = Files.createTempDirectory(parentDir.toPath(), "tickbus-peers-archive");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        TickbusArchive launched = null;
        try
        {
            launched = TickbusArchive.launch(new TickbusArchive.Context()
                .archiveDir(dir)
                .aeronDirectoryName(aeronDirectoryName)
                .controlChannel(null));
            launched.record("aeron:ipc", RawAeronTransport.PING_STREAM);
            launched.record("aeron:ipc", RawAeronTransport.DATA_STREAM);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(launched);
            IoUtil.delete(dir.toFile(), true);
            throw ex;
        }
        archive = launched;
        direct = new TickbusTransport(
            aeron, "Tickbus recorded", "ipc, archived to " + parentDir, "aeron:ipc", "aeron:ipc", "aeron:ipc", 0);
    }

    /** {@inheritDoc} */
    public String system()
    {
        return direct.system();
    }

    /** {@inheritDoc} */
    public String transport()
    {
        return direct.transport();
    }

    /** {@inheritDoc} */
    public void openPingPong(final PayloadHandler onPong)
    {
        direct.openPingPong(onPong);
    }

    /** {@inheritDoc} */
    public boolean offerPing(final DirectBuffer buffer, final int offset, final int length)
    {
        return direct.offerPing(buffer, offset, length);
    }

    /** {@inheritDoc} */
    public int pollPongs(final int limit)
    {
        return direct.pollPongs(limit);
    }

    /** {@inheritDoc} */
    public int doEchoWork(final int limit)
    {
        return direct.doEchoWork(limit);
    }

    /** {@inheritDoc} */
    public void closePingPong()
    {
        direct.closePingPong();
    }

    /** {@inheritDoc} */
    public void openThroughput(final PayloadHandler onData)
    {
        direct.openThroughput(onData);
    }

    /** {@inheritDoc} */
    public boolean offerData(final DirectBuffer buffer, final int offset, final int length)
    {
        return direct.offerData(buffer, offset, length);
    }

    /** {@inheritDoc} */
    public int pollData(final int limit)
    {
        return direct.pollData(limit);
    }

    /** {@inheritDoc} */
    public void closeThroughput()
    {
        direct.closeThroughput();
    }

    /** {@inheritDoc} */
    public void close()
    {
        try
        {
            CloseHelper.closeAll(direct, archive);
        }
        finally
        {
            IoUtil.delete(dir.toFile(), true);
        }
    }
}
