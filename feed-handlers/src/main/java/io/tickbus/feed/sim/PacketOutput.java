package io.tickbus.feed.sim;

import io.tickbus.feed.UdpSource;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.LangUtil;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the simulator's packets go: a UDP destination ({@code udp://HOST:PORT}, sent from the loopback address
 * unless the destination is elsewhere; multicast with TTL 0 on the loopback interface) or a file.
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

    static final class FileOutput extends PacketOutput
    {
        private final OutputStream out;
        private final int skip;
        private final byte[] scratch = new byte[64 * 1024];
        private long packets;

        FileOutput(final Path file, final int skip) throws IOException
        {
            this.out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            this.skip = skip;
        }

        public void send(final DirectBuffer buffer, final int offset, final int length)
        {
            if (length <= skip)
            {
                return;
            }
            buffer.getBytes(offset + skip, scratch, 0, length - skip);
            try
            {
                out.write(scratch, 0, length - skip);
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
                out.close();
            }
            catch (final IOException ex)
            {
                LangUtil.rethrowUnchecked(ex);
            }
        }
    }
}
