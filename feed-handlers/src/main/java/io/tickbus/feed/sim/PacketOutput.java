package io.tickbus.feed.sim;

import io.tickbus.feed.UdpSource;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.LangUtil;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the simulator's packets go: a UDP destination ({@code udp://HOST:PORT}, sent from the loopback address
 * unless the destination is elsewhere; multicast with TTL 0 on the loopback interface), a pcap capture, or a
 * file of the packets' bodies (an ITCH day file when the 20-byte MoldUDP64 header is skipped).
 * <p>
 * Threading: one thread. Allocation: none per packet.
 */
public abstract class PacketOutput implements AutoCloseable
{
    /**
     * @param buffer holding the packet.
     * @param offset of the packet.
     * @param length of the packet.
     */
    public abstract void send(DirectBuffer buffer, int offset, int length);

    /** @return packets sent. */
    public abstract long packets();

    /** Release the socket or file. */
    public abstract void close();

    /**
     * @param destination {@code udp://HOST:PORT}.
     * @return a UDP output.
     */
    public static PacketOutput udp(final String destination)
    {
        return new Udp(destination);
    }

    /**
     * @param file file to (over)write.
     * @param skipHeaderBytes bytes of each packet not written (20 writes a MoldUDP64 stream as an ITCH file).
     * @return a file output.
     * @throws IOException when the file cannot be created.
     */
    public static PacketOutput file(final Path file, final int skipHeaderBytes) throws IOException
    {
        return new FileOutput(file, skipHeaderBytes);
    }

    /**
     * A classic pcap (nanosecond, little-endian, Ethernet) of the packets as UDP datagrams from 127.0.0.1 to
     * 127.0.0.1:{@code port}, time-stamped with the clock: {@code tickbus parse} and {@code simulate --pcap} read it.
     *
     * @param file file to (over)write.
     * @param port destination UDP port written in the frames.
     * @param clock capture time stamps.
     * @return a pcap output.
     * @throws IOException when the file cannot be created.
     */
    public static PacketOutput pcap(final Path file, final int port, final EpochNanoClock clock) throws IOException
    {
        return new PcapOutput(file, port, clock);
    }

    /**
     * Drop packets at random before they reach an output: a lossy line, for A/B tests. The loss is seeded, so a
     * run repeats exactly; each line given its own seed loses independently of the others.
     *
     * @param output where the packets that are not lost go.
     * @param lossFraction fraction of packets lost, 0 to 1.
     * @param seed random seed.
     * @return the lossy output ({@link #packets()} counts those sent on).
     */
    public static Lossy lossy(final PacketOutput output, final double lossFraction, final long seed)
    {
        return new Lossy(output, lossFraction, seed);
    }

    /**
     * Send every packet to each output in turn: the venue's A and B lines.
     *
     * @param outputs the lines, A first.
     * @return the fan-out ({@link #packets()} counts packets offered, once each).
     */
    public static FanOut fanOut(final PacketOutput... outputs)
    {
        return new FanOut(outputs);
    }

    /** See {@link #lossy(PacketOutput, double, long)}. */
    public static final class Lossy extends PacketOutput
    {
        private final PacketOutput output;
        private final double lossFraction;
        private final java.util.SplittableRandom random;
        private long lost;
        private boolean lastLost;

        Lossy(final PacketOutput output, final double lossFraction, final long seed)
        {
            if (!(lossFraction >= 0 && lossFraction <= 1))
            {
                throw new IllegalArgumentException("loss must be 0..100%: " + lossFraction * 100 + "%");
            }
            this.output = output;
            this.lossFraction = lossFraction;
            this.random = new java.util.SplittableRandom(seed);
        }

        public void send(final DirectBuffer buffer, final int offset, final int length)
        {
            lastLost = lossFraction > 0 && random.nextDouble() < lossFraction;
            if (lastLost)
            {
                lost++;
            }
            else
            {
                output.send(buffer, offset, length);
            }
        }

        /** @return packets sent on. */
        public long packets()
        {
            return output.packets();
        }

        /** @return packets dropped. */
        public long lost()
        {
            return lost;
        }

        /** @return whether the last packet offered was dropped. */
        public boolean lastLost()
        {
            return lastLost;
        }

        public void close()
        {
            output.close();
        }
    }

    /** See {@link #fanOut(PacketOutput...)}. */
    public static final class FanOut extends PacketOutput
    {
        private final PacketOutput[] outputs;
        private long packets;
        private long lostOnAll;

        FanOut(final PacketOutput[] outputs)
        {
            if (0 == outputs.length)
            {
                throw new IllegalArgumentException("fan-out needs an output");
            }
            this.outputs = outputs.clone();
        }

        public void send(final DirectBuffer buffer, final int offset, final int length)
        {
            boolean all = true;
            for (final PacketOutput output : outputs)
            {
                output.send(buffer, offset, length);
                all &= output instanceof Lossy && ((Lossy)output).lastLost();
            }
            if (all)
            {
                lostOnAll++;
            }
            packets++;
        }

        /** @return packets offered (each sent to every output). */
        public long packets()
        {
            return packets;
        }

        /** @return packets lost on every line (no line delivered them: the handler sees a gap). */
        public long lostOnAll()
        {
            return lostOnAll;
        }

        /**
         * @param index line index.
         * @return the output of that line.
         */
        public PacketOutput output(final int index)
        {
            return outputs[index];
        }

        /** @return lines. */
        public int outputs()
        {
            return outputs.length;
        }

        public void close()
        {
            org.agrona.CloseHelper.closeAll(outputs);
        }
    }

    /**
     * An output to a buffered file: writes whole records, counts them as packets.
     */
    abstract static class FileRecordOutput extends PacketOutput
    {
        final OutputStream out;
        private long packets;

        FileRecordOutput(final Path file) throws IOException
        {
            this.out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
        }

        /**
         * Write one packet's record and count it; an I/O error is rethrown unchecked.
         */
        final void writeRecord(final byte[] bytes, final int offset, final int length)
        {
            try
            {
                out.write(bytes, offset, length);
                packets++;
            }
            catch (final IOException ex)
            {
                LangUtil.rethrowUnchecked(ex);
            }
        }

        public final long packets()
        {
            return packets;
        }

        public final void close()
        {
            try
            {
                out.close();
            }
            catch (final IOException ex)
            {
                LangUtil.rethrowUnchecked(ex);
            }
        }
    }

    static final class PcapOutput extends FileRecordOutput
    {
        private static final int FRAME_HEADER = 14 + 20 + 8;
        private final UnsafeBuffer record = new UnsafeBuffer(new byte[16 + FRAME_HEADER + 65536]);
        private final EpochNanoClock clock;
        private final int port;

        PcapOutput(final Path file, final int port, final EpochNanoClock clock) throws IOException
        {
            super(file);
            this.port = port;
            this.clock = clock;
            final UnsafeBuffer header = new UnsafeBuffer(new byte[24]);
            header.putInt(0, 0xA1B23C4D, ByteOrder.LITTLE_ENDIAN);
            header.putShort(4, (short)2, ByteOrder.LITTLE_ENDIAN);
            header.putShort(6, (short)4, ByteOrder.LITTLE_ENDIAN);
            header.putInt(16, 65535, ByteOrder.LITTLE_ENDIAN);
            header.putInt(20, 1, ByteOrder.LITTLE_ENDIAN);
            out.write(header.byteArray());
        }

        public void send(final DirectBuffer buffer, final int offset, final int length)
        {
            final long timeNs = clock.nanoTime();
            final int frameLength = FRAME_HEADER + length;
            record.putInt(0, (int)(timeNs / 1_000_000_000L), ByteOrder.LITTLE_ENDIAN);
            record.putInt(4, (int)(timeNs % 1_000_000_000L), ByteOrder.LITTLE_ENDIAN);
            record.putInt(8, frameLength, ByteOrder.LITTLE_ENDIAN);
            record.putInt(12, frameLength, ByteOrder.LITTLE_ENDIAN);
            final int eth = 16;
            record.setMemory(eth, 12, (byte)0);
            record.putShort(eth + 12, (short)0x0800, ByteOrder.BIG_ENDIAN);
            final int ip = eth + 14;
            record.putByte(ip, (byte)0x45);
            record.putByte(ip + 1, (byte)0);
            record.putShort(ip + 2, (short)(20 + 8 + length), ByteOrder.BIG_ENDIAN);
            record.putInt(ip + 4, 0x0000_4000, ByteOrder.BIG_ENDIAN);
            record.putByte(ip + 8, (byte)64);
            record.putByte(ip + 9, (byte)17);
            record.putShort(ip + 10, (short)0, ByteOrder.BIG_ENDIAN);
            record.putInt(ip + 12, 0x7F00_0001, ByteOrder.BIG_ENDIAN);
            record.putInt(ip + 16, 0x7F00_0001, ByteOrder.BIG_ENDIAN);
            int sum = 0;
            for (int i = 0; i < 20; i += 2)
            {
                sum += record.getShort(ip + i, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            }
            sum = (sum & 0xFFFF) + (sum >>> 16);
            sum = (sum & 0xFFFF) + (sum >>> 16);
            record.putShort(ip + 10, (short)~sum, ByteOrder.BIG_ENDIAN);
            final int udp = ip + 20;
            record.putShort(udp, (short)port, ByteOrder.BIG_ENDIAN);
            record.putShort(udp + 2, (short)port, ByteOrder.BIG_ENDIAN);
            record.putShort(udp + 4, (short)(8 + length), ByteOrder.BIG_ENDIAN);
            record.putShort(udp + 6, (short)0, ByteOrder.BIG_ENDIAN);
            record.putBytes(udp + 8, buffer, offset, length);
            writeRecord(record.byteArray(), 0, 16 + frameLength);
        }
    }

    static final class Udp extends PacketOutput
    {
        private final DatagramChannel channel;
        private final InetSocketAddress target;
        private final ByteBuffer sendBuffer = BufferUtil.allocateDirectAligned(64 * 1024, 64);
        private long packets;

        Udp(final String destination)
        {
            final URI uri = UdpSource.parse(destination);
            try
            {
                final InetAddress address = InetAddress.getByName(
                    null == uri.getHost() ? UdpSource.DEFAULT_HOST : uri.getHost());
                target = new InetSocketAddress(address, uri.getPort());
                channel = DatagramChannel.open(StandardProtocolFamily.INET);
                channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 * 1024 * 1024);
                if (address.isMulticastAddress())
                {
                    channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
                    channel.setOption(StandardSocketOptions.IP_MULTICAST_IF,
                        java.net.NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress()));
                    channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                }
                else if (address.isLoopbackAddress())
                {
                    channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                }
            }
            catch (final IOException ex)
            {
                throw new IllegalStateException("cannot send to " + destination + ": " + ex.getMessage(), ex);
            }
        }

        public void send(final DirectBuffer buffer, final int offset, final int length)
        {
            sendBuffer.clear();
            buffer.getBytes(offset, sendBuffer, 0, length);
            sendBuffer.limit(length);
            try
            {
                channel.send(sendBuffer, target);
                packets++;
            }
            catch (final IOException ex)
            {
                LangUtil.rethrowUnchecked(ex);
            }
        }

        public long packets()
        {
            return packets;
        }

        public void close()
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // nothing to recover on close
            }
        }
    }

    static final class FileOutput extends FileRecordOutput
    {
        private final int skip;
        private final byte[] scratch = new byte[64 * 1024];

        FileOutput(final Path file, final int skip) throws IOException
        {
            super(file);
            this.skip = skip;
        }

        public void send(final DirectBuffer buffer, final int offset, final int length)
        {
            if (length <= skip)
            {
                return;
            }
            buffer.getBytes(offset + skip, scratch, 0, length - skip);
            writeRecord(scratch, 0, length - skip);
        }
    }
}
