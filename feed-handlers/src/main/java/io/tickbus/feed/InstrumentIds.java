package io.tickbus.feed;

import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntHashSet;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Object2IntHashMap;

/**
 * The instrument ids of one venue for one trading day, and which of them have had their
 * {@link io.tickbus.sbe.InstrumentDefinitionEncoder definition} published (a handler publishes the definition
 * before the first message that uses an id).
 * <p>
 * Three ways to get an id: the venue gives one ({@link #put(int, DirectBuffer, int, int)}, e.g. the ITCH stock
 * locate, which NASDAQ keeps fixed for the day); the handler derives it from the symbol alone
 * ({@link #assignFromSymbol(DirectBuffer, int, int)}, IEX), so every handler of the feed, whenever it started,
 * gives a symbol the same id; or the handler assigns ids 1, 2, 3, ... in order of first appearance
 * ({@link #assign(DirectBuffer, int, int)}), stable only when the day is read from its start.
 * {@link #clear()} starts a new day.
 * <p>
 * Symbols are ASCII, trailing spaces and NULs ignored. Threading: one thread. Allocation: none for a lookup of a
 * symbol of up to 8 characters; a map entry and a String per new symbol; symbols longer than 8 characters (CME)
 * allocate a String per lookup.
 */
public final class InstrumentIds
{
    private static final long MISSING = 0;

    private final Long2LongHashMap shortSymbols = new Long2LongHashMap(MISSING);
    private final Object2IntHashMap<String> longSymbols = new Object2IntHashMap<>(0);
    private final Int2ObjectHashMap<String> symbolById = new Int2ObjectHashMap<>();
    private final IntHashSet defined = new IntHashSet();
    private int nextId = 1;
    private long collisions;

    /**
     * @param buffer holding the symbol.
     * @param offset of the symbol.
     * @param length of the symbol field.
     * @return the id, 0 when the symbol is unknown.
     */
    public int lookup(final DirectBuffer buffer, final int offset, final int length)
    {
        final int len = trimmedLength(buffer, offset, length);
        if (len <= 8)
        {
            return (int)shortSymbols.get(pack(buffer, offset, len));
        }
        return longSymbols.getValue(buffer.getStringWithoutLengthAscii(offset, len));
    }

    /**
     * The symbol's id, assigning the next free id on first sight.
     *
     * @param buffer holding the symbol.
     * @param offset of the symbol.
     * @param length of the symbol field.
     * @return the id, &gt; 0.
     */
    public int assign(final DirectBuffer buffer, final int offset, final int length)
    {
        final int existing = lookup(buffer, offset, length);
        if (0 != existing)
        {
            return existing;
        }
        while (symbolById.containsKey(nextId))
        {
            nextId++;
        }
        final int id = nextId++;
        put(id, buffer, offset, length);
        return id;
    }

    /**
     * The symbol's id derived from its characters alone (a 31-bit mix of the packed symbol), the same in every
     * handler and on every day. Two symbols of one day that mix to the same id are a collision, counted in
     * {@link #collisions()}: the later one probes the next mixes, so only those two symbols' ids then depend on the
     * order they were seen in.
     *
     * @param buffer holding the symbol (up to 8 characters).
     * @param offset of the symbol.
     * @param length of the symbol field.
     * @return the id, &gt; 0.
     * @throws IllegalArgumentException when the symbol is longer than 8 characters.
     */
    public int assignFromSymbol(final DirectBuffer buffer, final int offset, final int length)
    {
        final int len = trimmedLength(buffer, offset, length);
        if (len > 8)
        {
            throw new IllegalArgumentException("symbol longer than 8 characters: " +
                buffer.getStringWithoutLengthAscii(offset, len));
        }
        final long packed = pack(buffer, offset, len);
        final int existing = (int)shortSymbols.get(packed);
        if (0 != existing)
        {
            return existing;
        }
        int id = symbolId(packed, 0);
        for (int probe = 1; symbolById.containsKey(id); probe++)
        {
            collisions++;
            id = symbolId(packed, probe);
        }
        put(id, buffer, offset, len);
        return id;
    }

    /**
     * @return symbols whose derived id was taken by another symbol of the day.
     */
    public long collisions()
    {
        return collisions;
    }

    /**
     * @param packed a symbol packed as by {@link #pack(DirectBuffer, int, int)}.
     * @param probe 0 first, then 1, 2, ... on collision.
     * @return an id in 1..2^31 - 1.
     */
    static int symbolId(final long packed, final int probe)
    {
        long h = (packed + probe) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        final int id = (int)(h & Integer.MAX_VALUE);
        return 0 == id ? 1 : id;
    }

    /**
     * Record a venue-given id for a symbol (replacing an earlier symbol of that id).
     *
     * @param id the venue's id, &gt; 0.
     * @param buffer holding the symbol.
     * @param offset of the symbol.
     * @param length of the symbol field.
     */
    public void put(final int id, final DirectBuffer buffer, final int offset, final int length)
    {
        if (id <= 0)
        {
            throw new IllegalArgumentException("instrument id must be > 0: " + id);
        }
        final int len = trimmedLength(buffer, offset, length);
        final String symbol = buffer.getStringWithoutLengthAscii(offset, len);
        final String previous = symbolById.put(id, symbol);
        if (null != previous && !previous.equals(symbol))
        {
            removeSymbol(previous);
        }
        if (len <= 8)
        {
            shortSymbols.put(pack(buffer, offset, len), id);
        }
        else
        {
            longSymbols.put(symbol, id);
        }
    }

    /**
     * @param id instrument id.
     * @return its symbol, null when unknown.
     */
    public String symbol(final int id)
    {
        return symbolById.get(id);
    }

    /**
     * @param id instrument id.
     * @return true when its definition was published.
     */
    public boolean isDefined(final int id)
    {
        return defined.contains(id);
    }

    /**
     * @param id instrument id whose definition was just published.
     */
    public void markDefined(final int id)
    {
        defined.add(id);
    }

    /** @return ids with a symbol. */
    public int size()
    {
        return symbolById.size();
    }

    /** Forget everything: a new trading day. */
    public void clear()
    {
        shortSymbols.clear();
        longSymbols.clear();
        symbolById.clear();
        defined.clear();
        nextId = 1;
    }

    private void removeSymbol(final String symbol)
    {
        if (symbol.length() <= 8)
        {
            long key = 0;
            for (int i = 0; i < symbol.length(); i++)
            {
                key = (key << 8) | (symbol.charAt(i) & 0xFF);
            }
            shortSymbols.remove(key);
        }
        else
        {
            longSymbols.removeKey(symbol);
        }
    }

    private static int trimmedLength(final DirectBuffer buffer, final int offset, final int length)
    {
        int len = length;
        while (len > 0)
        {
            final byte b = buffer.getByte(offset + len - 1);
            if (' ' != b && 0 != b)
            {
                break;
            }
            len--;
        }
        return len;
    }

    private static long pack(final DirectBuffer buffer, final int offset, final int len)
    {
        long key = 0;
        for (int i = 0; i < len; i++)
        {
            key = (key << 8) | (buffer.getByte(offset + i) & 0xFF);
        }
        return key;
    }
}
