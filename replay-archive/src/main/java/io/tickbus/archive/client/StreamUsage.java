package io.tickbus.archive.client;

import io.aeron.AeronCounters;
import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.status.CountersReader;

/**
 * Answers "does a publication already exist on this channel and stream in this driver?" from the driver's
 * publisher-limit counters, so a replay never interleaves its messages with a live publisher's on a target
 * stream that subscribers believe is one feed.
 * <p>
 * Stateless. Allocation: a string per publisher counter inspected (an operator check, not a hot path).
 */
public final class StreamUsage
{
    private static final int STREAM_ID_OFFSET = 12;
    private static final int CHANNEL_OFFSET = 16;

    private StreamUsage()
    {
    }

    /**
     * @param counters the driver's counters.
     * @param channel channel to check ({@code aeron:ipc} matches any IPC publication; UDP matches the endpoint).
     * @param streamId stream id to check.
     * @return the channel of a publication found on it, or null when none.
     */
    public static String findPublication(final CountersReader counters, final String channel, final int streamId)
    {
        final ChannelUri target = ChannelUri.parse(channel);
        final String[] found = new String[1];
        counters.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (null == found[0] && AeronCounters.DRIVER_PUBLISHER_LIMIT_TYPE_ID == typeId &&
                keyBuffer.getInt(STREAM_ID_OFFSET) == streamId)
            {
                final String published = channelOf(keyBuffer);
                if (sameMedia(target, published))
                {
                    found[0] = published;
                }
            }
        });
        return found[0];
    }

    private static String channelOf(final DirectBuffer keyBuffer)
    {
        return keyBuffer.getStringAscii(CHANNEL_OFFSET);
    }

    private static boolean sameMedia(final ChannelUri target, final String published)
    {
        final ChannelUri uri;
        try
        {
            uri = ChannelUri.parse(published);
        }
        catch (final RuntimeException ex)
        {
            return false;
        }
        if (target.isIpc())
        {
            return uri.isIpc();
        }
        final String endpoint = target.get(CommonContext.ENDPOINT_PARAM_NAME);
        return uri.isUdp() && null != endpoint && endpoint.equals(uri.get(CommonContext.ENDPOINT_PARAM_NAME));
    }
}
