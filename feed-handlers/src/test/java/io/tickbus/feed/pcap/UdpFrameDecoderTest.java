package io.tickbus.feed.pcap;

import io.tickbus.feed.TestSupport;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * UdpFrameDecoder on its own, without a capture container: each link layer down to the UDP payload, and each way a
 * frame is rejected, with its reason. The frames come from the tests' own writer ({@link TestSupport.PcapWriter}).
 */
@Timeout(10)
class UdpFrameDecoderTest
{
    private static final byte[] PAYLOAD = {1, 2, 3, 4, 5};
    private static final int ETHERNET_HEADER = 14;

    private final UdpFrameDecoder decoder = new UdpFrameDecoder();

    @Test
    void ethernetFrameAtAnOffsetYieldsPayloadAddressesAndPorts()
    {
        final byte[] frame = TestSupport.PcapWriter.udpFrame(PAYLOAD, 17);
        final UnsafeBuffer buffer = at(7, frame);

        assertEquals(UdpFrameDecoder.UDP, decoder.decode(buffer, 7, frame.length, UdpFrameDecoder.LINKTYPE_ETHERNET));
        assertNull(decoder.reason());
        assertPayload(buffer);
        assertEquals(0x7F00_0001, decoder.sourceAddress());
        assertEquals(0xE936_0C6F, decoder.destinationAddress());
        assertEquals(26477, decoder.sourcePort());
        assertEquals(26477, decoder.destinationPort());
    }

    @Test
    void vlanAndQinQTagsAreSkipped()
    {
        final byte[] plain = TestSupport.PcapWriter.udpFrame(PAYLOAD, 17);
        final byte[] tagged = new byte[plain.length + 8];
        System.arraycopy(plain, 0, tagged, 0, 12);
        final byte[] tags = {(byte)0x88, (byte)0xA8, 0, 10, (byte)0x81, 0x00, 0, 20};
        System.arraycopy(tags, 0, tagged, 12, tags.length);
        System.arraycopy(plain, 12, tagged, 20, plain.length - 12);
        final UnsafeBuffer buffer = new UnsafeBuffer(tagged);

        assertEquals(UdpFrameDecoder.UDP, decoder.decode(buffer, 0, tagged.length, UdpFrameDecoder.LINKTYPE_ETHERNET));
        assertPayload(buffer);
    }

    @Test
    void rawLinuxCookedAndLoopbackLinkLayers()
    {
        final byte[] ip = ipPacket();

        final UnsafeBuffer raw = new UnsafeBuffer(ip);
        assertEquals(UdpFrameDecoder.UDP, decoder.decode(raw, 0, ip.length, UdpFrameDecoder.LINKTYPE_RAW));
        assertPayload(raw);

        final byte[] sll = new byte[16 + ip.length];
        sll[14] = 0x08;
        System.arraycopy(ip, 0, sll, 16, ip.length);
        final UnsafeBuffer sllBuffer = new UnsafeBuffer(sll);
        assertEquals(UdpFrameDecoder.UDP, decoder.decode(sllBuffer, 0, sll.length, UdpFrameDecoder.LINKTYPE_LINUX_SLL));
        assertPayload(sllBuffer);

        final byte[] sll2 = new byte[20 + ip.length];
        sll2[0] = 0x08;
        System.arraycopy(ip, 0, sll2, 20, ip.length);
        final UnsafeBuffer sll2Buffer = new UnsafeBuffer(sll2);
        assertEquals(UdpFrameDecoder.UDP,
            decoder.decode(sll2Buffer, 0, sll2.length, UdpFrameDecoder.LINKTYPE_LINUX_SLL2));
        assertPayload(sll2Buffer);

        final byte[] loop = new byte[4 + ip.length];
        loop[3] = 2; // AF_INET in network byte order (LINKTYPE_LOOP)
        System.arraycopy(ip, 0, loop, 4, ip.length);
        final UnsafeBuffer loopBuffer = new UnsafeBuffer(loop);
        assertEquals(UdpFrameDecoder.UDP, decoder.decode(loopBuffer, 0, loop.length, UdpFrameDecoder.LINKTYPE_LOOP));
        assertPayload(loopBuffer);
    }

    @Test
    void framesThatAreNotIpv4UdpAreNonUdpWithTheirReason()
    {
        final byte[] arp = TestSupport.PcapWriter.udpFrame(PAYLOAD, 17);
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertRejected(UdpFrameDecoder.NON_UDP, "not IPv4 (ethertype 0x0806)", arp, UdpFrameDecoder.LINKTYPE_ETHERNET);

        final byte[] tcp = TestSupport.PcapWriter.udpFrame(PAYLOAD, 6);
        assertRejected(UdpFrameDecoder.NON_UDP, "IP protocol 6 is not UDP", tcp, UdpFrameDecoder.LINKTYPE_ETHERNET);

        assertRejected(UdpFrameDecoder.NON_UDP, "Ethernet frame too short", new byte[13],
            UdpFrameDecoder.LINKTYPE_ETHERNET);
        assertRejected(UdpFrameDecoder.NON_UDP, "unsupported link type 147", ipPacket(), 147);
    }

    @Test
    void badIpv4AndUdpHeadersAndFragmentsAreMalformed()
    {
        // Behind an IPv4 ethertype a version 6 header is malformed; on a raw link it would just not be IPv4.
        final byte[] badVersion = TestSupport.PcapWriter.udpFrame(PAYLOAD, 17);
        badVersion[ETHERNET_HEADER] = 0x65;
        assertRejected(UdpFrameDecoder.MALFORMED, "bad IPv4 header (version/IHL 0x65)", badVersion,
            UdpFrameDecoder.LINKTYPE_ETHERNET);
        assertRejected(UdpFrameDecoder.NON_UDP, "not IPv4 (ethertype 0xffff)",
            Arrays.copyOfRange(badVersion, ETHERNET_HEADER, badVersion.length), UdpFrameDecoder.LINKTYPE_RAW);

        final byte[] fragment = ipPacket();
        fragment[6] = 0x20;
        assertRejected(UdpFrameDecoder.MALFORMED, "IP fragment (not reassembled)", fragment,
            UdpFrameDecoder.LINKTYPE_IPV4);

        final byte[] badUdpLength = ipPacket();
        badUdpLength[20 + 4] = 0x7F;
        assertRejected(UdpFrameDecoder.MALFORMED, "UDP length 32525 does not fit IP payload 13", badUdpLength,
            UdpFrameDecoder.LINKTYPE_IPV4);

        final byte[] cut = Arrays.copyOf(ipPacket(), 19);
        assertRejected(UdpFrameDecoder.MALFORMED, "IPv4 header cut short", cut, UdpFrameDecoder.LINKTYPE_IPV4);
    }

    @Test
    void aRejectedFrameLeavesTheLastPayloadInPlace()
    {
        final byte[] frame = TestSupport.PcapWriter.udpFrame(PAYLOAD, 17);
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        assertEquals(UdpFrameDecoder.UDP, decoder.decode(buffer, 0, frame.length, UdpFrameDecoder.LINKTYPE_ETHERNET));
        final byte[] tcp = TestSupport.PcapWriter.udpFrame(new byte[9], 6);
        assertEquals(UdpFrameDecoder.NON_UDP,
            decoder.decode(new UnsafeBuffer(tcp), 0, tcp.length, UdpFrameDecoder.LINKTYPE_ETHERNET));
        assertEquals(PAYLOAD.length, decoder.payloadLength());
    }

    private void assertRejected(final int expected, final String reason, final byte[] frame, final int linkType)
    {
        assertEquals(expected, decoder.decode(new UnsafeBuffer(frame), 0, frame.length, linkType));
        assertEquals(reason, decoder.reason());
    }

    private void assertPayload(final UnsafeBuffer buffer)
    {
        assertEquals(PAYLOAD.length, decoder.payloadLength());
        final byte[] got = new byte[decoder.payloadLength()];
        buffer.getBytes(decoder.payloadOffset(), got);
        assertArrayEquals(PAYLOAD, got);
    }

    private static byte[] ipPacket()
    {
        final byte[] frame = TestSupport.PcapWriter.udpFrame(PAYLOAD, 17);
        return Arrays.copyOfRange(frame, ETHERNET_HEADER, frame.length);
    }

    private static UnsafeBuffer at(final int offset, final byte[] frame)
    {
        final byte[] bytes = new byte[offset + frame.length];
        System.arraycopy(frame, 0, bytes, offset, frame.length);
        return new UnsafeBuffer(bytes);
    }
}
