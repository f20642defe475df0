/**
 * Capture files: {@link io.tickbus.feed.pcap.CaptureReader} reads pcap and pcapng (plain or gzip) and yields the
 * UDP payloads inside, counting what it cannot use.
 */
package io.tickbus.feed.pcap;
