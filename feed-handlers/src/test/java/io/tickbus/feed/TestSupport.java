package io.tickbus.feed;

import io.tickbus.client.MarketDataListener;
import io.tickbus.client.MessageDispatcher;
import io.tickbus.client.MessageSink;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-only, deliberately simple and independent of the production readers: finds the shared captures, walks
 * classic pcap records, takes the UDP payload out of an Ethernet(+VLAN)/IPv4/UDP frame, counts ITCH messages in
 * MoldUDP64 payloads, and writes classic pcap files (to cut or corrupt real packets).
 */
public final class TestSupport
{
    /** One classic pcap record. */
    public record Record(long seconds, long fraction, byte[] frame, long fileOffset)
    {
    }

    private TestSupport()
    {
    }

    /**
     * Set (to any value) by {@code .ci/run}: a capture that is missing is then a test failure, not a skip, so CI can
     * never pass green over tests that read nothing. Without it (a fresh clone with no {@code ../shared}) they skip.
     */
    public static final String REQUIRE_SHARED_DATA_ENV = "TICKBUS_REQUIRE_SHARED_DATA";

    /**
     * Skip the test when {@code present} is false, or fail it when {@link #REQUIRE_SHARED_DATA_ENV} is set.
     *
     * @param present whether the shared data the test needs is there.
     * @param what    what is missing, for the message.
     */
    public static void assumeSharedData(final boolean present, final String what)
    {
        if (!present && null != System.getenv(REQUIRE_SHARED_DATA_ENV))
        {
            Assertions.fail(what + " (" + REQUIRE_SHARED_DATA_ENV + " is set: this run must have ../shared/data)");
        }
        Assumptions.assumeTrue(present, what);
    }

    public static Path sharedData()
    {
        final String dir = System.getProperty("tickbus.shared.data");
        assumeSharedData(null != dir && Files.isDirectory(Path.of(dir)), "shared data not available: " + dir);
        return Path.of(dir);
    }

    /**
     * @param folder venue folder under the shared data.
     * @param name   capture file name.
     * @return the capture, which exists (otherwise the test is skipped, or failed under CI).
     */
    public static Path capture(final String folder, final String name)
    {
        final Path file = sharedData().resolve(folder).resolve(name);
        assumeSharedData(Files.isReadable(file), "capture absent: " + file);
        return file;
    }

    public static Path itch(final String name)
    {
        return capture("itch50", name);
    }

    public static List<Path> itchCaptures() throws IOException
    {
        try (var stream = Files.list(sharedData().resolve("itch50")))
        {
            return stream.filter((p) -> p.toString().endsWith(".pcap")).sorted().toList();
        }
    }

    /** Classic little-endian pcap records (all the ITCH samples are little-endian, nanosecond). */
    public static List<Record> records(final byte[] file)
    {
        final ByteBuffer bb = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        final List<Record> records = new ArrayList<>();
        int pos = 24;
        while (pos + 16 <= file.length)
        {
            final long sec = bb.getInt(pos) & 0xFFFFFFFFL;
            final long frac = bb.getInt(pos + 4) & 0xFFFFFFFFL;
            final int incl = bb.getInt(pos + 8);
            if (pos + 16 + incl > file.length)
            {
                break;
            }
            final byte[] frame = new byte[incl];
            System.arraycopy(file, pos + 16, frame, 0, incl);
            records.add(new Record(sec, frac, frame, pos));
            pos += 16 + incl;
        }
        return records;
    }

    /** Offset of the IPv4 header in an Ethernet frame, skipping 802.1Q tags. */
    public static int ipOffset(final byte[] frame)
    {
        int off = 12;
        while ((frame[off] & 0xFF) == 0x81 && frame[off + 1] == 0x00)
        {
            off += 4;
        }
        return off + 2;
    }

    public static byte[] udpPayload(final byte[] frame)
    {
        final int ip = ipOffset(frame);
        final int ihl = (frame[ip] & 0x0F) * 4;
        final int udp = ip + ihl;
        final int udpLen = ((frame[udp + 4] & 0xFF) << 8) | (frame[udp + 5] & 0xFF);
        final byte[] payload = new byte[udpLen - 8];
        System.arraycopy(frame, udp + 8, payload, 0, payload.length);
        return payload;
    }

    public static List<byte[]> udpPayloads(final Path file) throws IOException
    {
        final List<byte[]> payloads = new ArrayList<>();
        for (final Record r : records(Files.readAllBytes(file)))
        {
            payloads.add(udpPayload(r.frame()));
        }
        return payloads;
    }

    /** The ITCH messages inside one MoldUDP64 payload, walked by hand. */
    public static List<byte[]> moldMessages(final byte[] payload)
    {
        final List<byte[]> messages = new ArrayList<>();
        final int count = ((payload[18] & 0xFF) << 8) | (payload[19] & 0xFF);
        int pos = 20;
        for (int i = 0; i < count && count != 0xFFFF; i++)
        {
            final int len = ((payload[pos] & 0xFF) << 8) | (payload[pos + 1] & 0xFF);
            final byte[] m = new byte[len];
            System.arraycopy(payload, pos + 2, m, 0, len);
            messages.add(m);
            pos += 2 + len;
        }
        return messages;
    }

    public static long be(final byte[] b, final int offset, final int length)
    {
        long v = 0;
        for (int i = 0; i < length; i++)
        {
            v = (v << 8) | (b[offset + i] & 0xFF);
        }
        return v;
    }

    /** A MoldUDP64 payload with the given session, sequence and messages. */
    public static byte[] moldPacket(final String session, final long sequence, final List<byte[]> messages)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final byte[] s = String.format("%-10s", session).getBytes();
        out.write(s, 0, 10);
        for (int i = 7; i >= 0; i--)
        {
            out.write((int)(sequence >>> (8 * i)));
        }
        out.write(messages.size() >>> 8);
        out.write(messages.size());
        for (final byte[] m : messages)
        {
            out.write(m.length >>> 8);
            out.write(m.length);
            out.write(m, 0, m.length);
        }
        return out.toByteArray();
    }

    /** Writes a classic little-endian nanosecond pcap with Ethernet/IPv4/UDP frames. */
    public static final class PcapWriter
    {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private long timeNs = 1_692_711_000_000_000_000L;

        public PcapWriter()
        {
            final ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0xA1B23C4D).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(65535).putInt(1);
            out.write(h.array(), 0, 24);
        }

        public PcapWriter udp(final byte[] payload)
        {
            return frame(udpFrame(payload, 17));
        }

        public PcapWriter frame(final byte[] frame)
        {
            final ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            r.putInt((int)(timeNs / 1_000_000_000L)).putInt((int)(timeNs % 1_000_000_000L))
                .putInt(frame.length).putInt(frame.length);
            out.write(r.array(), 0, 16);
            out.write(frame, 0, frame.length);
            timeNs += 1_000_000;
            return this;
        }

        public static byte[] udpFrame(final byte[] payload, final int protocol)
        {
            final ByteBuffer f = ByteBuffer.allocate(14 + 20 + 8 + payload.length).order(ByteOrder.BIG_ENDIAN);
            f.put(new byte[]{1, 0, 0x5e, 0, 0, 1, 2, 0, 0, 0, 0, 1}).putShort((short)0x0800);
            f.put((byte)0x45).put((byte)0).putShort((short)(20 + 8 + payload.length)).putInt(0)
                .put((byte)64).put((byte)protocol).putShort((short)0)
                .put(new byte[]{127, 0, 0, 1}).put(new byte[]{(byte)233, 54, 12, 111});
            f.putShort((short)26477).putShort((short)26477).putShort((short)(8 + payload.length)).putShort((short)0);
            f.put(payload);
            return f.array();
        }

        public byte[] bytes()
        {
            return out.toByteArray();
        }

        public Path write(final Path file) throws IOException
        {
            Files.write(file, bytes());
            return file;
        }
    }

    /** Test sink: keeps a copy of every message, replays them to a listener. */
    public static final class RecordingSink implements MessageSink
    {
        public final List<byte[]> messages = new ArrayList<>();

        public long publish(final MutableDirectBuffer buffer, final int offset, final int length)
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            messages.add(copy);
            return messages.size();
        }

        public void replay(final MarketDataListener listener)
        {
            final MessageDispatcher dispatcher = new MessageDispatcher(listener);
            long position = 0;
            for (final byte[] m : messages)
            {
                position += m.length;
                dispatcher.dispatch(new UnsafeBuffer(m), 0, m.length, position);
            }
        }
    }
}
