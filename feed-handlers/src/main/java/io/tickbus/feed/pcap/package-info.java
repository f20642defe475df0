/**
 * Capture files: {@link io.tickbus.feed.pcap.CaptureReader} reads pcap and pcapng (plain or gzip) and yields the
 * UDP payloads inside, counting what it cannot use; {@link io.tickbus.feed.pcap.UdpFrameDecoder} takes one captured
 * frame's link, IPv4 and UDP headers off.
 */
package io.tickbus.feed.pcap;
