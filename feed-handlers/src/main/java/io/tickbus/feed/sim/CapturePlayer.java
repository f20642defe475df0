package io.tickbus.feed.sim;

import io.tickbus.feed.ReplayPacer;
import io.tickbus.feed.pcap.CaptureReader;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Plays the UDP payloads of a capture file onto UDP, keeping the capture's inter-packet timing divided by a speed
 * factor (1 = original timing, 10 = ten times faster, 0 = as fast as possible). Packets are sent to one
 * destination whatever their original address (loopback by default).
 * <p>
 * Threading: one thread (an Agent). Allocation: none per packet.
 */
public final class CapturePlayer implements Agent, AutoCloseable
{
    private final CaptureReader reader;
    private final PacketOutput output;
    private final ReplayPacer pacer;
    private final int packetsPerCycle;
    private boolean pending;
    private boolean done;

    /**
     * @param file capture (pcap / pcapng, plain or gzip).
     * @param output where the payloads go.
     * @param speed timing factor, 0 for as fast as possible.
     * @param listener told about records the reader skipped, may be null.
     * @throws IOException when the file is missing or not a capture.
     */
    public CapturePlayer(
        final Path file, final PacketOutput output, final double speed, final CaptureReader.ErrorListener listener)
        throws IOException
    {
        if (!(speed >= 0) || Double.isInfinite(speed))
        {
            throw new IllegalArgumentException("speed must be >= 0: " + speed);
        }
        this.reader = CaptureReader.open(file, listener);
        this.output = output;
        this.pacer = new ReplayPacer(new SystemNanoClock(), speed);
        this.packetsPerCycle = 64;
    }

    /** {@inheritDoc} */
    public String roleName()
    {
        return "tickbus-capture-player";
    }

    /** {@inheritDoc} */
    public int doWork()
    {
        if (done)
        {
            return 0;
        }
        int work = 0;
        if (pending)
        {
            if (!pacer.isDue(reader.captureTimeNs()))
            {
                return 0;
            }
            send();
            pending = false;
            work++;
        }
        while (work < packetsPerCycle)
        {
            if (!reader.next())
            {
                done = true;
                break;
            }
            if (pacer.isPaced() && !pacer.isDue(reader.captureTimeNs()))
            {
                pending = true;
                break;
            }
            send();
            work++;
        }
        return work;
    }

    private void send()
    {
        output.send(reader.buffer(), reader.payloadOffset(), reader.payloadLength());
    }

    /** @return true when the capture was played to its end. */
    public boolean isDone()
    {
        return done;
    }

    /** @return packets sent. */
    public long packetsSent()
    {
        return output.packets();
    }

    /** @return the reader, for its counters. */
    public CaptureReader reader()
    {
        return reader;
    }

    /** {@inheritDoc} */
    public void onClose()
    {
        close();
    }

    /** Close the file and the output. */
    public void close()
    {
        reader.close();
        output.close();
    }
}
