package io.tickbus.client;

import io.tickbus.sbe.InstrumentDefinitionDecoder;
import io.tickbus.sbe.SecurityType;
import io.tickbus.sbe.Venue;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The instruments a subscriber has seen defined, by (feed id, instrument id) and by symbol. Feed it every
 * {@link InstrumentDefinitionDecoder}; look instruments up to print symbols or scale prices.
 * <p>
 * Threading: one thread. Allocation: an {@link Instrument} per new definition (rare, cold path); lookups by id
 * allocate nothing.
 */
public final class InstrumentDirectory
{
    /**
     * One instrument's reference data.
     *
     * @param feedId feed that defined it.
     * @param instrumentId id within the feed.
     * @param symbol venue symbol, trimmed.
     * @param venue venue.
     * @param securityType kind of instrument.
     * @param priceExponent price scale.
     * @param lotSize round lot.
     * @param tickSize minimum increment, as a mantissa.
     */
    public record Instrument(
        int feedId,
        int instrumentId,
        String symbol,
        Venue venue,
        SecurityType securityType,
        int priceExponent,
        int lotSize,
        long tickSize)
    {
    }

    private final Long2ObjectHashMap<Instrument> byKey = new Long2ObjectHashMap<>();
    private final Map<String, Instrument> bySymbol = new HashMap<>();

    /**
     * @param feedId feed id.
     * @param instrumentId instrument id.
     * @return the key the directory and filter use.
     */
    public static long key(final int feedId, final int instrumentId)
    {
        return ((long)feedId << 32) | (instrumentId & 0xFFFF_FFFFL);
    }

    /**
     * @param definition a definition message.
     * @return its symbol, trimmed of padding.
     */
    public static String symbolOf(final InstrumentDefinitionDecoder definition)
    {
        final int length = InstrumentDefinitionDecoder.symbolLength();
        final StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            final byte b = definition.symbol(i);
            if (b == 0)
            {
                break;
            }
            sb.append((char)b);
        }
        return sb.toString().trim();
    }

    /**
     * Record a definition; a redefinition replaces the old entry.
     *
     * @param definition the message.
     * @return the instrument.
     */
    public Instrument onDefinition(final InstrumentDefinitionDecoder definition)
    {
        final var common = definition.common();
        final Instrument instrument = new Instrument(
            common.feedId(),
            common.instrumentId(),
            symbolOf(definition),
            common.venue(),
            definition.securityType(),
            definition.priceExponent(),
            definition.lotSize(),
            definition.tickSize());
        byKey.put(key(instrument.feedId(), instrument.instrumentId()), instrument);
        bySymbol.put(instrument.symbol(), instrument);
        return instrument;
    }

    /**
     * @param feedId feed id.
     * @param instrumentId instrument id.
     * @return the instrument, or null when not (yet) defined.
     */
    public Instrument get(final int feedId, final int instrumentId)
    {
        return byKey.get(key(feedId, instrumentId));
    }

    /**
     * @param symbol the symbol.
     * @return the instrument last defined with it, or null.
     */
    public Instrument bySymbol(final String symbol)
    {
        return bySymbol.get(symbol);
    }

    /** @return every instrument known. */
    public Collection<Instrument> instruments()
    {
        return byKey.values();
    }

    /** @return how many instruments are known. */
    public int size()
    {
        return byKey.size();
    }
}
