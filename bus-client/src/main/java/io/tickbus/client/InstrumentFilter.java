package io.tickbus.client;

import io.tickbus.sbe.InstrumentDefinitionDecoder;
import org.agrona.collections.LongHashSet;

import java.util.HashSet;
import java.util.Set;

/**
 * Admits messages for chosen instruments only, named by instrument id or by symbol. Symbols are resolved to
 * (feed id, instrument id) as instrument definitions arrive, so a symbol filter must see the definitions (they
 * are always passed through). Market-wide messages (instrument id 0) are always admitted.
 * <p>
 * Threading: one thread. Allocation: none per message; a symbol string per definition seen.
 */
public final class InstrumentFilter
{
    private final Set<String> symbols = new HashSet<>();
    private final LongHashSet instrumentIds = new LongHashSet();
    private final LongHashSet keys = new LongHashSet();

    /**
     * @param symbol a symbol to admit (case sensitive, as the venue writes it).
     * @return this.
     */
    public InstrumentFilter symbol(final String symbol)
    {
        symbols.add(symbol.trim());
        return this;
    }

    /**
     * @param instrumentId an instrument id to admit, from any feed.
     * @return this.
     */
    public InstrumentFilter instrumentId(final int instrumentId)
    {
        instrumentIds.add(instrumentId);
        return this;
    }

    /**
     * Learn the id of a wanted symbol.
     *
     * @param definition a definition message.
     */
    public void onDefinition(final InstrumentDefinitionDecoder definition)
    {
        if (!symbols.isEmpty() && symbols.contains(InstrumentDirectory.symbolOf(definition)))
        {
            final var common = definition.common();
            keys.add(InstrumentDirectory.key(common.feedId(), common.instrumentId()));
        }
    }

    /**
     * @param feedId the message's feed.
     * @param instrumentId the message's instrument.
     * @return true when wanted.
     */
    public boolean accept(final int feedId, final int instrumentId)
    {
        return 0 == instrumentId || instrumentIds.contains(instrumentId) ||
            keys.contains(InstrumentDirectory.key(feedId, instrumentId));
    }
}
