package io.tickbus.client;

import org.agrona.MutableDirectBuffer;

/**
 * Hands each message to two sinks in turn: a feed handler publishing on both the direct stream and the
 * sequencer's ingress. The first sink may stamp the message (publish time) before the second sees it.
 * <p>
 * Threading: one producer thread. Allocation: none.
 */
public final class TeeSink implements MessageSink
{
    private final MessageSink first;
    private final MessageSink second;

    /**
     * @param first receives each message first (e.g. the direct {@link BusPublisher}).
     * @param second receives it next (e.g. the sequencer client).
     */
    public TeeSink(final MessageSink first, final MessageSink second)
    {
        this.first = first;
        this.second = second;
    }

    /**
     * {@inheritDoc}
     *
     * @return the first sink's code when it refused the message (the second still gets it), otherwise the second
     * sink's result.
     */
    public long publish(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        final long a = first.publish(buffer, offset, length);
        final long b = second.publish(buffer, offset, length);
        return a < 0 ? a : b;
    }
}
