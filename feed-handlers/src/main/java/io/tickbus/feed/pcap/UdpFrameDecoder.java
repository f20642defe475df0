package io.tickbus.feed.pcap;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Decodes one captured link-layer frame down to its UDP payload: the link header (Ethernet with 802.1Q / 802.1ad
 * VLAN tags, raw IPv4, Linux cooked SLL and SLL2, BSD loopback), then the IPv4 header, then the UDP header. The
 * capture container around the frame is {@link CaptureReader}'s business.
 * <p>
 * {@link #decode(DirectBuffer, int, int, int)} answers {@link #UDP} and sets the payload's offset, length,
 * addresses and ports; or it answers {@link #NON_UDP} (not IPv4/UDP: a short link header, another ethertype or IP
 * protocol, an unknown link type) or {@link #MALFORMED} (a bad IPv4 or UDP header, an IP fragment) and sets
 * {@link #reason()}.
 * <p>
 * Threading: one thread. Allocation: none for a UDP frame; a rejected frame builds its reason string.
 */
public final class UdpFrameDecoder
{
    /** The frame holds a UDP payload. */
    public static final int UDP = 0;
    /** The frame is not IPv4/UDP. */
    public static final int NON_UDP = 1;
    /** The frame's IPv4 or UDP header is bad, or it is an IP fragment. */
    public static final int MALFORMED = 2;

    /** pcap link type: BSD loopback, host byte order family. */
    public static final int LINKTYPE_NULL = 0;
    /** pcap link type: Ethernet. */
    public static final int LINKTYPE_ETHERNET = 1;
    /** pcap link type: raw IP (the old OpenBSD number). */
    public static final int LINKTYPE_RAW_OLD = 12;
    /** pcap link type: raw IP. */
    public static final int LINKTYPE_RAW = 101;
    /** pcap link type: OpenBSD loopback, network byte order family. */
    public static final int LINKTYPE_LOOP = 108;
    /** pcap link type: Linux cooked capture. */
    public static final int LINKTYPE_LINUX_SLL = 113;
    /** pcap link type: raw IPv4. */
    public static final int LINKTYPE_IPV4 = 228;
    /** pcap link type: Linux cooked capture v2. */
    public static final int LINKTYPE_LINUX_SLL2 = 276;

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    private static final int ETHERTYPE_QINQ_OLD = 0x9100;
    private static final int IP_PROTO_UDP = 17;

    private String reason;
    private int payloadOffset;
    private int payloadLength;
    private int destinationAddress;
    private int destinationPort;
    private int sourceAddress;
    private int sourcePort;

    /**
     * @param buffer holding the frame.
     * @param frameOffset where the frame starts (its link header).
     * @param frameLength captured bytes of the frame.
     * @param linkType the frame's pcap link type, e.g. {@link #LINKTYPE_ETHERNET}.
     * @return {@link #UDP}, {@link #NON_UDP} or {@link #MALFORMED}.
     */
    public int decode(final DirectBuffer buffer, final int frameOffset, final int frameLength, final int linkType)
    {
        int offset = frameOffset;
        final int end = frameOffset + frameLength;
        int etherType;
        switch (linkType)
        {
            case LINKTYPE_ETHERNET:
                if (frameLength < 14)
                {
                    return nonUdp("Ethernet frame too short");
                }
                etherType = buffer.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                offset += 14;
                while (ETHERTYPE_VLAN == etherType || ETHERTYPE_QINQ == etherType || ETHERTYPE_QINQ_OLD == etherType)
                {
                    if (offset + 4 > end)
                    {
                        return nonUdp("VLAN tag cut short");
                    }
                    etherType = buffer.getShort(offset + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                    offset += 4;
                }
                break;

            case LINKTYPE_RAW:
            case LINKTYPE_RAW_OLD:
            case LINKTYPE_IPV4:
                etherType = frameLength > 0 && 4 == ((buffer.getByte(offset) & 0xF0) >> 4) ? ETHERTYPE_IPV4 : -1;
                break;

            case LINKTYPE_LINUX_SLL:
                if (frameLength < 16)
                {
                    return nonUdp("Linux cooked header too short");
                }
                etherType = buffer.getShort(offset + 14, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                offset += 16;
                break;

            case LINKTYPE_LINUX_SLL2:
                if (frameLength < 20)
                {
                    return nonUdp("Linux cooked v2 header too short");
                }
                etherType = buffer.getShort(offset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
                offset += 20;
                break;

            case LINKTYPE_NULL:
            case LINKTYPE_LOOP:
                if (frameLength < 4)
                {
                    return nonUdp("loopback header too short");
                }
                final int family = buffer.getInt(offset, ByteOrder.LITTLE_ENDIAN);
                etherType = 2 == family || 2 == Integer.reverseBytes(family) ? ETHERTYPE_IPV4 : -1;
                offset += 4;
                break;

            default:
                return nonUdp("unsupported link type " + linkType);
        }

        if (ETHERTYPE_IPV4 != etherType)
        {
            return nonUdp(String.format("not IPv4 (ethertype 0x%04x)", etherType & 0xFFFF));
        }
        return decodeIpv4(buffer, offset, end);
    }

    private int decodeIpv4(final DirectBuffer buffer, final int ipOffset, final int end)
    {
        final int available = end - ipOffset;
        if (available < 20)
        {
            return malformed("IPv4 header cut short");
        }
        final int versionIhl = buffer.getByte(ipOffset) & 0xFF;
        final int ihl = (versionIhl & 0x0F) * 4;
        if (4 != (versionIhl >> 4) || ihl < 20 || ihl > available)
        {
            return malformed("bad IPv4 header (version/IHL 0x" + Integer.toHexString(versionIhl) + ")");
        }
        final int totalLength = buffer.getShort(ipOffset + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (totalLength < ihl || totalLength > available)
        {
            return malformed("IPv4 total length " + totalLength + " does not fit the " + available +
                " captured bytes");
        }
        final int protocol = buffer.getByte(ipOffset + 9) & 0xFF;
        if (IP_PROTO_UDP != protocol)
        {
            return nonUdp("IP protocol " + protocol + " is not UDP");
        }
        final int fragment = buffer.getShort(ipOffset + 6, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (0 != (fragment & 0x3FFF))
        {
            return malformed("IP fragment (not reassembled)");
        }
        final int udpOffset = ipOffset + ihl;
        if (totalLength - ihl < 8)
        {
            return malformed("UDP header cut short");
        }
        final int udpLength = buffer.getShort(udpOffset + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        if (udpLength < 8 || udpLength > totalLength - ihl)
        {
            return malformed("UDP length " + udpLength + " does not fit IP payload " + (totalLength - ihl));
        }
        sourceAddress = buffer.getInt(ipOffset + 12, ByteOrder.BIG_ENDIAN);
        destinationAddress = buffer.getInt(ipOffset + 16, ByteOrder.BIG_ENDIAN);
        sourcePort = buffer.getShort(udpOffset, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        destinationPort = buffer.getShort(udpOffset + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        payloadOffset = udpOffset + 8;
        payloadLength = udpLength - 8;
        reason = null;
        return UDP;
    }

    private int nonUdp(final String reason)
    {
        this.reason = reason;
        return NON_UDP;
    }

    private int malformed(final String reason)
    {
        this.reason = reason;
        return MALFORMED;
    }

    /** @return why the last frame was rejected, null after a {@link #UDP} frame. */
    public String reason()
    {
        return reason;
    }

    /** @return offset of the last UDP payload in the decoded buffer. */
    public int payloadOffset()
    {
        return payloadOffset;
    }

    /** @return length of the last UDP payload. */
    public int payloadLength()
    {
        return payloadLength;
    }

    /** @return destination UDP port of the last payload. */
    public int destinationPort()
    {
        return destinationPort;
    }

    /** @return destination IPv4 address of the last payload, as an int (big-endian order of octets). */
    public int destinationAddress()
    {
        return destinationAddress;
    }

    /** @return source UDP port of the last payload. */
    public int sourcePort()
    {
        return sourcePort;
    }

    /** @return source IPv4 address of the last payload. */
    public int sourceAddress()
    {
        return sourceAddress;
    }
}
