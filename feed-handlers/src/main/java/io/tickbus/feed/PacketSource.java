package io.tickbus.feed;

import org.agrona.DirectBuffer;

/**
 * Where a feed handler's transport packets come from: a capture file ({@link CaptureSource}), a venue file in its
 * own framing (e.g. {@link io.tickbus.feed.itch.ItchFileReader}) or a live UDP socket ({@link UdpSource}).
 * <p>
 * Threading: one thread. Implementations allocate nothing per packet.
 */
public interface PacketSource extends AutoCloseable
{
    /** How the packets of a source are framed, which decides the decoder. */
    enum Framing
    {
        /** Each packet is a UDP payload: the venue's transport protocol (MoldUDP64, IEX-TP, MDP3 packet). */
        UDP_PAYLOAD,
        /** Each packet is one ITCH message from a binary file (2-byte length framing removed). */
        ITCH_MESSAGE
    }

    /**
     * Move to the next packet if one is available now.
     *
     * @return true when positioned on a packet; false when none is available (live) or at the end (file).
     */
    boolean next();

    /** @return true when no packet will ever come again (end of file). */
    boolean isEnded();

    /** @return the buffer holding the current packet. */
    DirectBuffer buffer();

    /** @return offset of the current packet. */
    int offset();

    /** @return length of the current packet. */
    int length();

    /** @return when the packet was captured or received, epoch ns (capture time for files). */
    long timeNs();

    /**
     * @return true when {@link #timeNs()} is when the packet was captured (a pcap capture); false when the source
     * has no capture time (an ITCH day file, whose {@link #timeNs()} is the message's exchange time) or is live.
     */
    default boolean hasCaptureTime()
    {
        return false;
    }

    /** @return 1-based number of the current packet in the source. */
    long packetNumber();

    /** @return byte offset of the current packet in the file, -1 when live. */
    long fileOffset();

    /** @return how the packets are framed. */
    Framing framing();

    /** Release the file or socket. */
    void close();
}
