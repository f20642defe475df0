package io.tickbus.perf.peers;

import io.tickbus.client.MessageDispatcher;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.File;

/**
 * Chronicle Queue, the durable-log peer: every message is appended to a memory-mapped queue file and read by a
 * tailer, pings in one queue and pongs in another, in a fresh directory per case (deleted on close). Like the Aeron
 * archive's default, nothing is forced to disk per message: the OS writes the mapped pages back.
 * <p>
 * Threading: each appender and tailer is made lazily on the one thread that uses it (Chronicle's components are
 * single threaded). Allocates queues on open; the hot path copies through a reused array per thread.
 */
public final class ChronicleQueueTransport implements PeerTransport
{
    private static final int MAX_LENGTH = 1024;

    private final File baseDir;
    private final MessageDispatcher echoDecoder = Workload.echoDecoder();
    private final byte[] mainBytes = new byte[MAX_LENGTH];
    private final UnsafeBuffer mainView = new UnsafeBuffer(mainBytes);
    private final byte[] echoBytes = new byte[MAX_LENGTH];
    private final UnsafeBuffer echoView = new UnsafeBuffer(echoBytes);
    private final byte[] consumerBytes = new byte[MAX_LENGTH];
    private final UnsafeBuffer consumerView = new UnsafeBuffer(consumerBytes);
    private File caseDir;
    private int caseNumber;
    private ChronicleQueue pingQueue;
    private ChronicleQueue pongQueue;
    private ChronicleQueue dataQueue;
    private ExcerptAppender pingAppender;
    private ExcerptTailer pongTailer;
    private ExcerptTailer pingTailer;
    private ExcerptAppender pongAppender;
    private ExcerptAppender dataAppender;
    private ExcerptTailer dataTailer;
    private PayloadHandler onPong;
    private PayloadHandler onData;

    /**
     * @param baseDir under which each case makes and deletes its queue directory.
     */
    public ChronicleQueueTransport(final File baseDir)
    {
        this.baseDir = baseDir;
    }

    /** {@inheritDoc} */
    public String system()
    {
        return "Chronicle Queue";
    }

    /** {@inheritDoc} */
    public String transport()
    {
        return "mmap file " + baseDir;
    }

    /** {@inheritDoc} */
    public void openPingPong(final PayloadHandler onPong)
    {
        this.onPong = onPong;
        caseDir = new File(baseDir, "chronicle-" + ProcessHandle.current().pid() + "-" + (++caseNumber));
        pingQueue = ChronicleQueue.singleBuilder(new File(caseDir, "ping")).build();
        pongQueue = ChronicleQueue.singleBuilder(new File(caseDir, "pong")).build();
    }

    /** {@inheritDoc} */
    public boolean offerPing(final DirectBuffer buffer, final int offset, final int length)
    {
        if (null == pingAppender)
        {
            pingAppender = pingQueue.createAppender();
        }
        append(pingAppender, mainBytes, buffer, offset, length);
        return true;
    }

    /** {@inheritDoc} */
    public int pollPongs(final int limit)
    {
        if (null == pongTailer)
        {
            pongTailer = pongQueue.createTailer();
        }
        return read(pongTailer, mainBytes, mainView, onPong, limit);
    }

    /** {@inheritDoc} */
    public int doEchoWork(final int limit)
    {
        if (null == pingTailer)
        {
            pingTailer = pingQueue.createTailer();
            pongAppender = pongQueue.createAppender();
        }
        int count = 0;
        while (count < limit)
        {
            final int length;
            try (DocumentContext dc = pingTailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    break;
                }
                final Bytes<?> bytes = dc.wire().bytes();
                length = (int)bytes.readRemaining();
                bytes.read(echoBytes, 0, length);
            }
            echoDecoder.dispatch(echoView, 0, length, 0);
            append(pongAppender, echoBytes, echoView, 0, length);
            count++;
        }
        return count;
    }

    /** {@inheritDoc} */
    public void closePingPong()
    {
        closeQueue(pingQueue);
        closeQueue(pongQueue);
        pingQueue = null;
        pongQueue = null;
        pingAppender = null;
        pongTailer = null;
        pingTailer = null;
        pongAppender = null;
        deleteCaseDir();
    }

    /** {@inheritDoc} */
    public void openThroughput(final PayloadHandler onData)
    {
        this.onData = onData;
        caseDir = new File(baseDir, "chronicle-" + ProcessHandle.current().pid() + "-" + (++caseNumber));
        dataQueue = ChronicleQueue.singleBuilder(new File(caseDir, "data")).build();
    }

    /** {@inheritDoc} */
    public boolean offerData(final DirectBuffer buffer, final int offset, final int length)
    {
        if (null == dataAppender)
        {
            dataAppender = dataQueue.createAppender();
        }
        append(dataAppender, mainBytes, buffer, offset, length);
        return true;
    }

    /** {@inheritDoc} */
    public int pollData(final int limit)
    {
        if (null == dataTailer)
        {
            dataTailer = dataQueue.createTailer();
        }
        return read(dataTailer, consumerBytes, consumerView, onData, limit);
    }

    /** {@inheritDoc} */
    public void closeThroughput()
    {
        closeQueue(dataQueue);
        dataQueue = null;
        dataAppender = null;
        dataTailer = null;
        deleteCaseDir();
    }

    /** {@inheritDoc} */
    public void close()
    {
        closePingPong();
        closeThroughput();
    }

    private void deleteCaseDir()
    {
        if (null != caseDir)
        {
            IoUtil.delete(caseDir, true);
            caseDir = null;
        }
    }

    private static void closeQueue(final ChronicleQueue queue)
    {
        if (null != queue)
        {
            queue.close();
        }
    }

    private static void append(
        final ExcerptAppender appender,
        final byte[] scratch,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        buffer.getBytes(offset, scratch, 0, length);
        try (DocumentContext dc = appender.writingDocument())
        {
            dc.wire().bytes().write(scratch, 0, length);
        }
    }

    private static int read(
        final ExcerptTailer tailer,
        final byte[] scratch,
        final UnsafeBuffer view,
        final PayloadHandler handler,
        final int limit)
    {
        int count = 0;
        while (count < limit)
        {
            final int length;
            try (DocumentContext dc = tailer.readingDocument())
            {
                if (!dc.isPresent())
                {
                    break;
                }
                final Bytes<?> bytes = dc.wire().bytes();
                length = (int)bytes.readRemaining();
                bytes.read(scratch, 0, length);
            }
            handler.onPayload(view, 0, length);
            count++;
        }
        return count;
    }
}
