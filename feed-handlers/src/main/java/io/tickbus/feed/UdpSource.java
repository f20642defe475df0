package io.tickbus.feed;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.LangUtil;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * A {@link PacketSource} on a live UDP socket: {@code udp://HOST:PORT} binds HOST:PORT (unicast, default host
 * 127.0.0.1), or joins the multicast group HOST on the interface given by {@code ?interface=ADDR} (default
 * 127.0.0.1, which needs a multicast route on {@code lo}). Non-blocking: {@link #next()} returns false when no
 * datagram is waiting.
 * <p>
 * Threading: one thread. Allocation: none per datagram (one direct receive buffer of 64 KiB).
 */
public final class UdpSource implements PacketSource
{
    /** Default host to bind when the URI gives none. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Socket receive buffer asked for. */
    public static final int RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

    private final DatagramChannel channel;
    private final ByteBuffer receiveBuffer = BufferUtil.allocateDirectAligned(64 * 1024, 64);
    private final UnsafeBuffer buffer = new UnsafeBuffer(receiveBuffer);
    private final EpochNanoClock clock;
    private final InetSocketAddress localAddress;
    private long packetNumber;
    private long timeNs;
    private int length;

    /**
     * @param uri {@code udp://HOST:PORT[?interface=ADDR]}.
     * @param clock for receive times.
     * @throws IllegalArgumentException when the URI is not a udp://host:port.
     */
    public UdpSource(final String uri, final EpochNanoClock clock)
    {
        this.clock = clock;
        final URI parsed = parse(uri);
        final String host = null == parsed.getHost() ? DEFAULT_HOST : parsed.getHost();
        DatagramChannel ch = null;
        try
        {
            final InetAddress address = InetAddress.getByName(host);
            final int port = parsed.getPort();
            ch = DatagramChannel.open(StandardProtocolFamily.INET);
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
            if (address.isMulticastAddress())
            {
                final String query = parsed.getQuery();
                final String ifAddr = null != query && query.startsWith("interface=") ?
                    query.substring("interface=".length()) : DEFAULT_HOST;
                final NetworkInterface ni = NetworkInterface.getByInetAddress(InetAddress.getByName(ifAddr));
                if (null == ni)
                {
                    throw new IllegalArgumentException("no network interface with address " + ifAddr);
                }
                ch.bind(new InetSocketAddress(port));
                ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, ni);
                ch.join(address, ni);
            }
            else
            {
                ch.bind(new InetSocketAddress(address, port));
            }
            ch.configureBlocking(false);
            localAddress = (InetSocketAddress)ch.getLocalAddress();
        }
        catch (final IOException ex)
        {
            if (null != ch)
            {
                try
                {
                    ch.close();
                }
                catch (final IOException ignore)
                {
                    // already failing
                }
            }
            throw new IllegalStateException("cannot receive on " + uri + ": " + ex.getMessage(), ex);
        }
        channel = ch;
    }

    /**
     * @param uri text such as {@code udp://127.0.0.1:41000}.
     * @return true when it names a UDP source rather than a file.
     */
    public static boolean isUdpUri(final String uri)
    {
        return null != uri && uri.startsWith("udp://");
    }

    /**
     * Check and parse a {@code udp://HOST:PORT} URI.
     *
     * @param uri the text.
     * @return the URI.
     * @throws IllegalArgumentException with the reason.
     */
    public static URI parse(final String uri)
    {
        final URI parsed;
        try
        {
            parsed = new URI(uri);
        }
        catch (final Exception ex)
        {
            throw new IllegalArgumentException("invalid UDP address '" + uri + "': " + ex.getMessage());
        }
        if (!"udp".equals(parsed.getScheme()) || parsed.getPort() < 0 || parsed.getPort() > 65535)
        {
            throw new IllegalArgumentException("invalid UDP address '" + uri + "', expected udp://HOST:PORT");
        }
        return parsed;
    }

    /** @return the bound local address (the port is useful when 0 was asked). */
    public InetSocketAddress localAddress()
    {
        return localAddress;
    }

    /** {@inheritDoc} */
    public boolean next()
    {
        receiveBuffer.clear();
        try
        {
            if (null == channel.receive(receiveBuffer))
            {
                return false;
            }
        }
        catch (final IOException ex)
        {
            LangUtil.rethrowUnchecked(ex);
        }
        timeNs = clock.nanoTime();
        length = receiveBuffer.position();
        packetNumber++;
        return true;
    }

    /** {@inheritDoc} */
    public boolean isEnded()
    {
        return false;
    }

    /** {@inheritDoc} */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** {@inheritDoc} */
    public int offset()
    {
        return 0;
    }

    /** {@inheritDoc} */
    public int length()
    {
        return length;
    }

    /** {@inheritDoc} */
    public long timeNs()
    {
        return timeNs;
    }

    /** {@inheritDoc} */
    public long packetNumber()
    {
        return packetNumber;
    }

    /** {@inheritDoc} */
    public long fileOffset()
    {
        return -1;
    }

    /** {@inheritDoc} */
    public Framing framing()
    {
        return Framing.UDP_PAYLOAD;
    }

    /** {@inheritDoc} */
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
