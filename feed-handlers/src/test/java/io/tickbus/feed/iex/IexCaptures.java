package io.tickbus.feed.iex;

import io.tickbus.feed.PacketDecoder;
import io.tickbus.feed.pcap.CaptureReader;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;


/**
 * Test helpers for the IEX captures: where they are, playing one through a decoder, and an independent,
 * deliberately naive walk of the IEX-TP bytes written from the specification's offsets (no production constants),
 * so tests compare the decoder with a second counting method.
 */
final class IexCaptures
{
    static final String TOPS_DAY = "20180127_IEXTP1_TOPS1.6.pcap.gz";
    static final String DEEP_EXCERPT = "iex_deep10_20231002_excerpt.pcap.gz";
    static final String TOPS_PCAPNG_TRUNCATED = "iex_tops16_20180103_excerpt.pcapng";

    private IexCaptures()
    {
    }

    static Path file(final String venueFolder, final String name)
    {
        return io.tickbus.feed.TestSupport.capture(venueFolder, name);
    }

    static Path iex(final String name)
    {
        return file("iex", name);
    }

    static CaptureReader play(final Path file, final PacketDecoder decoder) throws IOException
    {
        final CaptureReader reader = CaptureReader.open(file);
        try (reader)
        {
            while (reader.next())
            {
                decoder.onPacket(reader.buffer(), reader.payloadOffset(), reader.payloadLength(),
                    reader.captureTimeNs(), reader.packetNumber(), reader.fileOffset());
            }
        }
        return reader;
    }

    /** Every UDP payload of a capture, copied. */
    static List<byte[]> payloads(final Path file) throws IOException
    {
        final List<byte[]> payloads = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(file))
        {
            while (reader.next())
            {
                final byte[] bytes = new byte[reader.payloadLength()];
                reader.buffer().getBytes(reader.payloadOffset(), bytes);
                payloads.add(bytes);
            }
        }
        return payloads;
    }

    /** One IEX message as found by the naive walk. */
    record Message(long seq, int packetIndex, UnsafeBuffer bytes)
    {
        char type()
        {
            return (char)bytes.getByte(0);
        }

        long timestamp()
        {
            return bytes.getLong(2, ByteOrder.LITTLE_ENDIAN);
        }

        String symbol()
        {
            return bytes.getStringWithoutLengthAscii(10, 8).trim();
        }
    }

    /** The naive walk's results. */
    static final class Walk
    {
        long packets;
        long heartbeats;
        final TreeMap<Character, Long> byType = new TreeMap<>();
        final List<Message> messages = new ArrayList<>();
        long expectedDefinitions;
        long expectedTradingStatus;
        long expectedEndOfSession;

        long count(final char type)
        {
            return byType.getOrDefault(type, 0L);
        }
    }

    /**
     * Walk segments: header 40 bytes, message count at 14 (u16 LE), first sequence at 24 (i64 LE), then
     * [u16 length][message] blocks. Also works out what the normalizer should publish, by the mapping table.
     */
    static Walk walk(final List<byte[]> payloads)
    {
        final Walk walk = new Walk();
        final Set<String> defined = new HashSet<>();
        int packetIndex = 0;
        for (final byte[] p : payloads)
        {
            final UnsafeBuffer b = new UnsafeBuffer(p);
            walk.packets++;
            final int count = b.getShort(14, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            final long first = b.getLong(24, ByteOrder.LITTLE_ENDIAN);
            if (0 == count)
            {
                walk.heartbeats++;
            }
            int pos = 40;
            for (int i = 0; i < count; i++)
            {
                final int len = b.getShort(pos, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
                final Message m = new Message(first + i, packetIndex, new UnsafeBuffer(p, pos + 2, len));
                walk.messages.add(m);
                walk.byType.merge(m.type(), 1L, Long::sum);
                switch (m.type())
                {
                    case 'D' ->
                    {
                        walk.expectedDefinitions++;
                        defined.add(m.symbol());
                    }
                    case 'H', 'O', 'E', 'Q', 'T', 'B', 'X', '8', '5' ->
                    {
                        if (defined.add(m.symbol()))
                        {
                            walk.expectedDefinitions++;
                        }
                        if ('H' == m.type() || 'O' == m.type() || 'E' == m.type())
                        {
                            walk.expectedTradingStatus++;
                        }
                    }
                    case 'S' ->
                    {
                        if ('C' == m.bytes().getByte(1))
                        {
                            walk.expectedEndOfSession++;
                        }
                        else
                        {
                            walk.expectedTradingStatus++;
                        }
                    }
                    default ->
                    {
                    }
                }
                pos += 2 + len;
            }
            packetIndex++;
        }
        return walk;
    }
}
