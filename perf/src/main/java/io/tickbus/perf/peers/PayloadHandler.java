package io.tickbus.perf.peers;

import org.agrona.DirectBuffer;

/**
 * Receives one whole message from a transport under test.
 * <p>
 * Threading: called on the polling thread, or on the client library's own delivery thread for transports that
 * push (NATS, MQTT); never on two threads at once.
 */
@FunctionalInterface
public interface PayloadHandler
{
    /**
     * @param buffer holding the message.
     * @param offset of the message.
     * @param length of the message.
     */
    void onPayload(DirectBuffer buffer, int offset, int length);
}
