package io.tickbus.feed.pcap;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.BufferedInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads a capture file and yields the UDP payloads in it, one per {@link #next()}: this class reads the container
 * (file header, records or blocks, capture times, link types) and hands each frame to a {@link UdpFrameDecoder}
 * for its link, IPv4 and UDP headers.
 * <p>
 * Formats: classic pcap (microsecond and nanosecond magic, either byte order) and pcapng (section header,
 * interface description with {@code if_tsresol}, enhanced, simple and obsolete packet blocks; other blocks
 * skipped; byte order per section). A file starting with the gzip magic {@code 1f 8b} is decompressed on the fly.
 * Link layers: those of {@link UdpFrameDecoder}.
 * <p>
 * Bad input is counted and reported to the {@link ErrorListener} (once per record, with its packet number and
 * file offset), never thrown: a frame that is not IPv4/UDP counts in {@link #nonUdp()}; a bad IPv4 or UDP header
 * or an IP fragment in {@link #malformed()}; a record cut short by the end of the file in {@link #truncated()}
 * (reading ends there); a corrupt compressed stream or an impossible record length in {@link #corrupt()} (reading
 * ends there: nothing after it can be framed).
 * <p>
 * Threading: one thread. Allocation: the record buffer grows to the largest record; nothing per record otherwise.
 */
public final class CaptureReader implements AutoCloseable
{
    /** Receives what the reader skipped. */
    @FunctionalInterface
    public interface ErrorListener
    {
        /**
         * @param reason what was wrong.
         * @param packetNumber 1-based record number (0 when before the first record).
         * @param fileOffset byte offset of the record in the uncompressed file.
         */
        void onCaptureError(String reason, long packetNumber, long fileOffset);
    }

    /** Largest record accepted; a larger length field means the file is corrupt. */
    public static final int MAX_RECORD_LENGTH = 16 * 1024 * 1024;

    private static final int PCAP_MAGIC_MICROS = 0xA1B2C3D4;
    private static final int PCAP_MAGIC_NANOS = 0xA1B23C4D;
    private static final int PCAPNG_SHB = 0x0A0D0D0A;
    private static final int PCAPNG_BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int PCAPNG_IDB = 1;
    private static final int PCAPNG_OPB = 2;
    private static final int PCAPNG_SPB = 3;
    private static final int PCAPNG_EPB = 6;

    private static final ErrorListener NO_LISTENER = (reason, packetNumber, fileOffset) -> {};

    private final Path file;
    private final InputStream in;
    private final ErrorListener listener;
    private final boolean isPcapng;
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[32]);
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64 * 1024]);
    private final UdpFrameDecoder frames = new UdpFrameDecoder();

    private ByteOrder order;
    private boolean nanos;
    private int linkType;
    private int[] ifLinkTypes = new int[4];
    private long[] ifTsUnitsPerSecond = new long[4];
    private int ifCount;

    private long position;
    private boolean ended;
    private long records;
    private long nonUdp;
    private long truncated;
    private long malformed;
    private long corrupt;

    private long recordOffset;
    private long captureTimeNs;

    private CaptureReader(final Path file, final InputStream in, final ErrorListener listener) throws IOException
    {
        this.file = file;
        this.in = in;
        this.listener = null == listener ? NO_LISTENER : listener;

        final int n = read(header.byteArray(), 0, 4);
        if (n < 4)
        {
            throw new IOException((0 == n ? "empty file" : "file too short for a capture") + ": " + file);
        }
        final int magicBig = header.getInt(0, ByteOrder.BIG_ENDIAN);
        final int magicLittle = header.getInt(0, ByteOrder.LITTLE_ENDIAN);
        if (PCAPNG_SHB == magicBig)
        {
            isPcapng = true;
            recordOffset = 0;
            if (!readSectionHeader(4))
            {
                throw new IOException("truncated or corrupt pcapng section header: " + file);
            }
        }
        else if (isPcapMagic(magicBig) || isPcapMagic(magicLittle))
        {
            isPcapng = false;
            order = isPcapMagic(magicBig) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            nanos = PCAP_MAGIC_NANOS == header.getInt(0, order);
            if (read(header.byteArray(), 4, 20) < 20)
            {
                throw new IOException("truncated pcap file header: " + file);
            }
            linkType = header.getInt(20, order) & 0x0FFF_FFFF;
        }
        else
        {
            throw new IOException(String.format(
                "not a pcap or pcapng capture (magic 0x%08x): %s", magicBig, file));
        }
    }

    /**
     * Open a capture without an error listener (problems are only counted).
     *
     * @param file pcap or pcapng, plain or gzip.
     * @return the reader, positioned before the first record.
     * @throws IOException when the file is missing, unreadable or not a capture (the message says which).
     */
    public static CaptureReader open(final Path file) throws IOException
    {
        return open(file, null);
    }

    /**
     * @param file pcap or pcapng, plain or gzip.
     * @param listener told about every skipped record, may be null.
     * @return the reader, positioned before the first record.
     * @throws IOException when the file is missing, unreadable or not a capture (the message says which).
     */
    public static CaptureReader open(final Path file, final ErrorListener listener) throws IOException
    {
        final InputStream in = openMaybeGzip(file);
        try
        {
            return new CaptureReader(file, in, listener);
        }
        catch (final IOException | RuntimeException ex)
        {
            in.close();
            throw ex;
        }
    }

    /**
     * Open a file for reading, decompressing it when it starts with the gzip magic.
     *
     * @param file the file.
     * @return a buffered stream of the (uncompressed) bytes.
     * @throws IOException when missing or unreadable, or the gzip header is corrupt.
     */
    public static InputStream openMaybeGzip(final Path file) throws IOException
    {
        if (!Files.exists(file))
        {
            throw new FileNotFoundException("file not found: " + file);
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file))
        {
            throw new IOException("not a readable file: " + file);
        }
        final BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
        raw.mark(2);
        final int b0 = raw.read();
        final int b1 = raw.read();
        raw.reset();
        if (0x1F == b0 && 0x8B == b1)
        {
            try
            {
                return new BufferedInputStream(new GZIPInputStream(raw, 64 * 1024), 64 * 1024);
            }
            catch (final IOException ex)
            {
                raw.close();
                throw new IOException("corrupt gzip header (" + ex.getMessage() + "): " + file, ex);
            }
        }
        return raw;
    }

    /**
     * @param file a file.
     * @return true when it is a pcap or pcapng capture (plain or gzip).
     * @throws IOException when missing or unreadable.
     */
    public static boolean isCapture(final Path file) throws IOException
    {
        try (InputStream in = openMaybeGzip(file))
        {
            final byte[] magic = in.readNBytes(4);
            if (magic.length < 4)
            {
                return false;
            }
            final int big = new UnsafeBuffer(magic).getInt(0, ByteOrder.BIG_ENDIAN);
            final int little = new UnsafeBuffer(magic).getInt(0, ByteOrder.LITTLE_ENDIAN);
            return PCAPNG_SHB == big || isPcapMagic(big) || isPcapMagic(little);
        }
    }

    private static boolean isPcapMagic(final int magic)
    {
        return PCAP_MAGIC_MICROS == magic || PCAP_MAGIC_NANOS == magic;
    }

    /**
     * Advance to the next UDP payload, skipping (and counting) records that do not hold one.
     *
     * @return true when positioned on a payload, false at the end of the file (or of what could be read).
     */
    public boolean next()
    {
        while (!ended)
        {
            final boolean haveFrame = isPcapng ? nextPcapngRecord() : nextPcapRecord();
            if (haveFrame)
            {
                final int frame = frames.decode(buffer, frameOffset, frameLength, frameLinkType);
                if (UdpFrameDecoder.UDP == frame)
                {
                    return true;
                }
                if (UdpFrameDecoder.NON_UDP == frame)
                {
                    skipNonUdp(frames.reason());
                }
                else
                {
                    skipMalformed(frames.reason());
                }
            }
        }
        return false;
    }

    private int frameLinkType;
    private int frameOffset;
    private int frameLength;

    private boolean nextPcapRecord()
    {
        recordOffset = position;
        final int n = read(header.byteArray(), 0, 16);
        if (n < 16)
        {
            if (n > 0)
            {
                truncatedRecord("record header cut short (" + n + " of 16 bytes)", records + 1);
            }
            ended = true;
            return false;
        }
        final long seconds = header.getInt(0, order) & 0xFFFF_FFFFL;
        final long fraction = header.getInt(4, order) & 0xFFFF_FFFFL;
        final int captured = header.getInt(8, order);
        if (captured < 0 || captured > MAX_RECORD_LENGTH)
        {
            corrupt("impossible record length " + (captured & 0xFFFF_FFFFL), records + 1);
            return false;
        }
        ensureCapacity(captured);
        final int got = read(buffer.byteArray(), 0, captured);
        if (got < captured)
        {
            truncatedRecord("record cut short (" + got + " of " + captured + " bytes)", records + 1);
            ended = true;
            return false;
        }
        records++;
        captureTimeNs = seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1000L);
        frameLinkType = linkType;
        frameOffset = 0;
        frameLength = captured;
        return true;
    }

    private boolean nextPcapngRecord()
    {
        recordOffset = position;
        final int n = read(header.byteArray(), 0, 8);
        if (n < 8)
        {
            if (n > 0)
            {
                truncatedRecord("block header cut short (" + n + " of 8 bytes)", records + 1);
            }
            ended = true;
            return false;
        }
        final int type = header.getInt(0, order);
        if (PCAPNG_SHB == header.getInt(0, ByteOrder.BIG_ENDIAN))
        {
            readSectionHeader(8);
            return false;
        }
        final int totalLength = header.getInt(4, order);
        if (totalLength < 12 || totalLength > MAX_RECORD_LENGTH || 0 != (totalLength & 3))
        {
            corrupt("impossible block length " + (totalLength & 0xFFFF_FFFFL), records + 1);
            return false;
        }
        final int bodyLength = totalLength - 8;
        ensureCapacity(bodyLength);
        final int got = read(buffer.byteArray(), 0, bodyLength);
        final boolean isPacket = PCAPNG_EPB == type || PCAPNG_SPB == type || PCAPNG_OPB == type;
        if (got < bodyLength)
        {
            truncatedRecord("block cut short (" + (got + 8) + " of " + totalLength + " bytes)",
                isPacket ? records + 1 : records);
            ended = true;
            return false;
        }
        final int dataLength = bodyLength - 4;
        switch (type)
        {
            case PCAPNG_IDB:
                addInterface(dataLength);
                return false;

            case PCAPNG_EPB:
            case PCAPNG_OPB:
            {
                records++;
                if (dataLength < 20)
                {
                    skipMalformed("packet block too short");
                    return false;
                }
                final int ifId = PCAPNG_EPB == type ? buffer.getInt(0, order) : buffer.getShort(0, order) & 0xFFFF;
                final long ts = ((buffer.getInt(4, order) & 0xFFFF_FFFFL) << 32) | (buffer.getInt(8, order) & 0xFFFF_FFFFL);
                final int captured = buffer.getInt(12, order);
                if (captured < 0 || captured > dataLength - 20)
                {
                    skipMalformed("captured length " + captured + " exceeds block");
                    return false;
                }
                if (ifId < 0 || ifId >= ifCount)
                {
                    skipMalformed("unknown interface id " + ifId);
                    return false;
                }
                captureTimeNs = toNanos(ts, ifTsUnitsPerSecond[ifId]);
                frameLinkType = ifLinkTypes[ifId];
                frameOffset = 20;
                frameLength = captured;
                return true;
            }

            case PCAPNG_SPB:
            {
                records++;
                if (dataLength < 4 || 0 == ifCount)
                {
                    skipMalformed("simple packet block without interface or length");
                    return false;
                }
                final int original = buffer.getInt(0, order);
                frameLinkType = ifLinkTypes[0];
                frameOffset = 4;
                frameLength = Math.min(original < 0 ? Integer.MAX_VALUE : original, dataLength - 4);
                return true;
            }

            default:
                return false;
        }
    }

    private boolean readSectionHeader(final int alreadyRead)
    {
        if (4 == alreadyRead && read(header.byteArray(), 4, 4) < 4)
        {
            truncatedRecord("section header cut short", records);
            ended = true;
            return false;
        }
        if (read(header.byteArray(), 8, 4) < 4)
        {
            truncatedRecord("section header cut short", records);
            ended = true;
            return false;
        }
        if (PCAPNG_BYTE_ORDER_MAGIC == header.getInt(8, ByteOrder.BIG_ENDIAN))
        {
            order = ByteOrder.BIG_ENDIAN;
        }
        else if (PCAPNG_BYTE_ORDER_MAGIC == header.getInt(8, ByteOrder.LITTLE_ENDIAN))
        {
            order = ByteOrder.LITTLE_ENDIAN;
        }
        else
        {
            corrupt("bad pcapng byte-order magic", records);
            return false;
        }
        final int totalLength = header.getInt(4, order);
        if (totalLength < 28 || totalLength > MAX_RECORD_LENGTH || 0 != (totalLength & 3))
        {
            corrupt("impossible section header length " + (totalLength & 0xFFFF_FFFFL), records);
            return false;
        }
        final int rest = totalLength - 12;
        ensureCapacity(rest);
        if (read(buffer.byteArray(), 0, rest) < rest)
        {
            truncatedRecord("section header cut short", records);
            ended = true;
            return false;
        }
        ifCount = 0;
        return true;
    }

    private void addInterface(final int dataLength)
    {
        if (ifCount == ifLinkTypes.length)
        {
            ifLinkTypes = Arrays.copyOf(ifLinkTypes, ifCount * 2);
            ifTsUnitsPerSecond = Arrays.copyOf(ifTsUnitsPerSecond, ifCount * 2);
        }
        long unitsPerSecond = 1_000_000L;
        final int link = dataLength >= 8 ? buffer.getShort(0, order) & 0xFFFF : -1;
        int option = 8;
        while (option + 4 <= dataLength)
        {
            final int code = buffer.getShort(option, order) & 0xFFFF;
            final int length = buffer.getShort(option + 2, order) & 0xFFFF;
            if (0 == code)
            {
                break;
            }
            if (9 == code && 1 == length && option + 5 <= dataLength)
            {
                final int resolution = buffer.getByte(option + 4) & 0xFF;
                final int exponent = resolution & 0x7F;
                if (0 != (resolution & 0x80))
                {
                    unitsPerSecond = exponent < 63 ? 1L << exponent : 1L;
                }
                else
                {
                    unitsPerSecond = 1;
                    for (int i = 0; i < exponent && i < 18; i++)
                    {
                        unitsPerSecond *= 10;
                    }
                }
            }
            option += 4 + ((length + 3) & ~3);
        }
        ifLinkTypes[ifCount] = link;
        ifTsUnitsPerSecond[ifCount] = unitsPerSecond;
        ifCount++;
    }

    private static long toNanos(final long ts, final long unitsPerSecond)
    {
        if (1_000_000_000L == unitsPerSecond)
        {
            return ts;
        }
        if (1_000_000L == unitsPerSecond)
        {
            return ts * 1000L;
        }
        final long seconds = ts / unitsPerSecond;
        final long remainder = ts % unitsPerSecond;
        return seconds * 1_000_000_000L + (long)((double)remainder * 1e9 / unitsPerSecond);
    }

    private void skipNonUdp(final String reason)
    {
        nonUdp++;
        listener.onCaptureError("non-UDP frame: " + reason, records, recordOffset);
    }

    private void skipMalformed(final String reason)
    {
        malformed++;
        listener.onCaptureError("malformed frame: " + reason, records, recordOffset);
    }

    private void truncatedRecord(final String reason, final long packetNumber)
    {
        if (ended)
        {
            return; // the stream was already reported corrupt
        }
        truncated++;
        listener.onCaptureError("truncated capture: " + reason, packetNumber, recordOffset);
    }

    private void corrupt(final String reason, final long packetNumber)
    {
        corrupt++;
        ended = true;
        listener.onCaptureError("corrupt capture: " + reason, packetNumber, recordOffset);
    }

    private void ensureCapacity(final int length)
    {
        if (buffer.capacity() < length)
        {
            buffer.wrap(new byte[Math.max(length, buffer.capacity() * 2)]);
        }
    }

    private int read(final byte[] dst, final int offset, final int length)
    {
        int total = 0;
        try
        {
            while (total < length)
            {
                final int n = in.read(dst, offset + total, length - total);
                if (n < 0)
                {
                    break;
                }
                total += n;
            }
        }
        catch (final IOException ex)
        {
            position += total;
            corrupt("unreadable stream at uncompressed offset " + position + " (" + ex.getMessage() + ")",
                records + 1);
            return -1 == total ? 0 : total;
        }
        position += total;
        return total;
    }

    /** @return the buffer holding the current record; the payload is at {@link #payloadOffset()}. */
    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** @return offset of the current UDP payload in {@link #buffer()}. */
    public int payloadOffset()
    {
        return frames.payloadOffset();
    }

    /** @return length of the current UDP payload. */
    public int payloadLength()
    {
        return frames.payloadLength();
    }

    /** @return capture time of the current record, epoch ns (0 for pcapng simple packet blocks' interfaces). */
    public long captureTimeNs()
    {
        return captureTimeNs;
    }

    /** @return 1-based number of the current record among the file's packet records. */
    public long packetNumber()
    {
        return records;
    }

    /** @return byte offset of the current record in the uncompressed file. */
    public long fileOffset()
    {
        return recordOffset;
    }

    /** @return destination UDP port of the current payload. */
    public int destinationPort()
    {
        return frames.destinationPort();
    }

    /** @return destination IPv4 address of the current payload, as an int (big-endian order of octets). */
    public int destinationAddress()
    {
        return frames.destinationAddress();
    }

    /** @return source UDP port of the current payload. */
    public int sourcePort()
    {
        return frames.sourcePort();
    }

    /** @return source IPv4 address of the current payload. */
    public int sourceAddress()
    {
        return frames.sourceAddress();
    }

    /** @return packet records read so far (UDP or not). */
    public long records()
    {
        return records;
    }

    /** @return frames that were not IPv4/UDP. */
    public long nonUdp()
    {
        return nonUdp;
    }

    /** @return records cut short by the end of the file (at most 1: reading ends there). */
    public long truncated()
    {
        return truncated;
    }

    /** @return frames with a bad IPv4 or UDP header, or IP fragments. */
    public long malformed()
    {
        return malformed;
    }

    /** @return corrupt streams (bad gzip data, impossible lengths): at most 1, reading ends there. */
    public long corrupt()
    {
        return corrupt;
    }

    /** @return the file being read. */
    public Path file()
    {
        return file;
    }

    /** @return true once the end of the readable data was reached. */
    public boolean isEnded()
    {
        return ended;
    }

    /** Close the file. */
    public void close()
    {
        try
        {
            in.close();
        }
        catch (final IOException ignore)
        {
            // closing a read-only stream: nothing to recover
        }
    }
}
