package io.tickbus.feed;

import io.tickbus.feed.itch.ItchFileReader;
import io.tickbus.feed.itch.ItchMessageDecoder;
import io.tickbus.feed.pcap.CaptureReader;
import io.tickbus.sbe.Venue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;

import java.util.List;

/**
 * The venue formats Tickbus can decode, by their command-line names, and the factory that builds a venue's
 * {@link PacketDecoder}. The CLI ({@code tickbus parse|feed --venue V}) goes through here only.
 * <p>
 * Stateless, thread safe. {@link #newDecoder(String, DecoderContext)} allocates the decoder.
 */
public final class Venues
{
    /** NASDAQ TotalView-ITCH 5.0 over MoldUDP64 (captures, live UDP) or the binary file framing. */
    public static final String ITCH5 = "itch5";
    /** IEX-TP v1 with TOPS 1.6 payloads. */
    public static final String IEX_TOPS = "iex-tops";
    /** IEX-TP v1 with DEEP 1.0 payloads. */
    public static final String IEX_DEEP = "iex-deep";
    /** CME Globex MDP 3.0. */
    public static final String CME_MDP3 = "cme-mdp3";

    private static final List<String> NAMES = List.of(ITCH5, IEX_TOPS, IEX_DEEP, CME_MDP3);

    private Venues()
    {
    }

    /** @return the venue names accepted by {@link #newDecoder(String, DecoderContext)}. */
    public static List<String> names()
    {
        return NAMES;
    }

    /**
     * @param name a venue name.
     * @return the name, checked.
     * @throws IllegalArgumentException when unknown.
     */
    public static String validate(final String name)
    {
        if (!NAMES.contains(name))
        {
            throw new IllegalArgumentException("unknown venue '" + name + "', expected one of " + NAMES);
        }
        return name;
    }

    /**
     * @param name a venue name.
     * @return the venue stamped in the common block.
     */
    public static Venue venueOf(final String name)
    {
        return switch (validate(name))
        {
            case ITCH5 -> Venue.NASDAQ;
            case IEX_TOPS, IEX_DEEP -> Venue.IEX;
            case CME_MDP3 -> Venue.CME;
            default -> Venue.UNKNOWN;
        };
    }

    /**
     * Open a file of a venue: a pcap / pcapng capture (plain or gzip) for every venue, or for ITCH also NASDAQ's
     * binary file framing (2-byte length before each message, plain or gzip).
     *
     * @param name venue name.
     * @param file the file.
     * @param stats told about what the reader skips.
     * @param tradingDate trading date (ITCH binary files need it for their packet times).
     * @return the source.
     * @throws IOException when missing, unreadable, or not a capture (and not an ITCH file for itch5).
     */
    public static PacketSource openFile(
        final String name, final Path file, final FeedStats stats, final LocalDate tradingDate) throws IOException
    {
        validate(name);
        if (CaptureReader.isCapture(file))
        {
            return new CaptureSource(file, stats);
        }
        if (ITCH5.equals(name))
        {
            return new ItchFileReader(file, stats, tradingDate);
        }
        throw new IOException("not a pcap or pcapng capture: " + file);
    }

    /**
     * Build the decoder for a venue and a source's framing.
     *
     * @param name venue name.
     * @param framing the source's framing.
     * @param ctx sink, stats, feed id and trading date.
     * @return the decoder.
     */
    public static PacketDecoder newDecoder(final String name, final PacketSource.Framing framing,
        final DecoderContext ctx)
    {
        if (PacketSource.Framing.ITCH_MESSAGE == framing)
        {
            if (!ITCH5.equals(name))
            {
                throw new IllegalArgumentException("ITCH file framing with venue " + name);
            }
            return new ItchMessageDecoder(ctx.conclude());
        }
        return newDecoder(name, ctx);
    }

    /**
     * Build the decoder for a venue's transport packets (UDP payloads from a capture or a socket).
     *
     * @param name venue name, one of {@link #names()}.
     * @param ctx sink, stats, feed id and trading date; concluded here.
     * @return the decoder.
     * @throws IllegalArgumentException when the venue is unknown.
     * @throws UnsupportedOperationException when the venue's decoder is not built yet.
     */
    public static PacketDecoder newDecoder(final String name, final DecoderContext ctx)
    {
        ctx.conclude();
        switch (validate(name))
        {
            case ITCH5:
                return new io.tickbus.feed.itch.MoldUdp64Decoder(ctx);

            case IEX_TOPS:
                return new io.tickbus.feed.iex.IexTpDecoder(ctx, io.tickbus.feed.iex.IexTp.PROTOCOL_TOPS);

            case IEX_DEEP:
                return new io.tickbus.feed.iex.IexTpDecoder(ctx, io.tickbus.feed.iex.IexTp.PROTOCOL_DEEP);

            case CME_MDP3:
                return new io.tickbus.feed.cme.Mdp3PacketDecoder(ctx);

            default:
                throw new IllegalArgumentException("unknown venue '" + name + "'");
        }
    }
}
