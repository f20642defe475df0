package io.tickbus.client;

import io.aeron.ChannelUri;
import io.aeron.ChannelUriStringBuilder;
import io.aeron.CommonContext;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;

/**
 * Builds and checks the channel URIs Tickbus uses, with Aeron's {@link ChannelUriStringBuilder}.
 */
public final class BusChannels
{
    /** Shared-memory channel for colocated processes. */
    public static final String IPC = "aeron:ipc";

    /** Every URI parameter name this Aeron version defines ({@code CommonContext.*_PARAM_NAME}). */
    private static final Set<String> KNOWN_PARAMETERS = knownParameters();

    private BusChannels()
    {
    }

    private static Set<String> knownParameters()
    {
        final Set<String> keys = new HashSet<>();
        for (final Field field : CommonContext.class.getFields())
        {
            if (Modifier.isStatic(field.getModifiers()) && String.class == field.getType() &&
                field.getName().endsWith("_PARAM_NAME"))
            {
                try
                {
                    keys.add((String)field.get(null));
                }
                catch (final IllegalAccessException ex)
                {
                    throw new IllegalStateException(ex);
                }
            }
        }
        return Set.copyOf(keys);
    }

    /**
     * @param host unicast address.
     * @param port port.
     * @return a UDP unicast channel.
     */
    public static String udp(final String host, final int port)
    {
        return new ChannelUriStringBuilder().media(CommonContext.UDP_MEDIA).endpoint(host + ":" + port).build();
    }

    /**
     * @param group multicast group (Aeron wants an odd last octet for the data address).
     * @param port port.
     * @param networkInterface local interface address, e.g. {@code 127.0.0.1}.
     * @param ttl multicast TTL, 0 for host-local.
     * @return a UDP multicast channel.
     */
    public static String multicast(final String group, final int port, final String networkInterface, final int ttl)
    {
        return new ChannelUriStringBuilder()
            .media(CommonContext.UDP_MEDIA)
            .endpoint(group + ":" + port)
            .networkInterface(networkInterface)
            .ttl(ttl)
            .build();
    }

    /**
     * Check a channel URI as an operator typed it.
     *
     * @param channel the URI.
     * @return the channel, unchanged.
     * @throws IllegalArgumentException with the reason when it is not a usable Aeron channel.
     */
    public static String validate(final String channel)
    {
        final ChannelUri uri;
        try
        {
            uri = ChannelUri.parse(channel);
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalArgumentException("invalid channel '" + channel + "': " + ex.getMessage());
        }
        // Aeron ignores keys it does not know: a typo (ttI=0, interfce=...) would silently change what is bound.
        uri.forEachParameter((key, value) ->
        {
            if (!KNOWN_PARAMETERS.contains(key))
            {
                throw new IllegalArgumentException("invalid channel '" + channel + "': unknown parameter '" + key + "'");
            }
        });
        if (uri.isUdp())
        {
            final String endpoint = uri.get(CommonContext.ENDPOINT_PARAM_NAME);
            if (null == endpoint && null == uri.get(CommonContext.MDC_CONTROL_PARAM_NAME))
            {
                throw new IllegalArgumentException("invalid channel '" + channel + "': udp needs endpoint=HOST:PORT");
            }
            if (null != endpoint)
            {
                final int colon = endpoint.lastIndexOf(':');
                final int port;
                try
                {
                    port = Integer.parseInt(endpoint.substring(colon + 1));
                }
                catch (final RuntimeException ex)
                {
                    throw new IllegalArgumentException("invalid channel '" + channel + "': endpoint needs a port");
                }
                if (colon < 1 || port < 0 || port > 65535)
                {
                    throw new IllegalArgumentException("invalid channel '" + channel + "': port out of range");
                }
            }
        }
        else if (!uri.isIpc())
        {
            throw new IllegalArgumentException("invalid channel '" + channel + "': media must be ipc or udp");
        }
        return channel;
    }
}
