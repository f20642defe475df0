package io.tickbus.client;

import org.agrona.MutableDirectBuffer;

/**
 * Where a producer of Tickbus messages (a feed handler, a replay) hands each encoded message: the direct bus
 * ({@link BusPublisher}), the sequencer's ingress, or both. The sink stamps what it owns (publish time) and
 * applies its own back-pressure policy.
 * <p>
 * Threading: one producer thread. Implementations allocate nothing per message.
 */
@FunctionalInterface
public interface MessageSink
{
    /**
     * @param buffer holding an encoded Tickbus message; the sink may stamp its common block in place.
     * @param offset of the message header.
     * @param length of the message.
     * @return a positive value when accepted, else a negative code such as {@link BusPublisher#DROPPED} or
     * {@link BusPublisher#NOT_CONNECTED}.
     */
    long publish(MutableDirectBuffer buffer, int offset, int length);
}
