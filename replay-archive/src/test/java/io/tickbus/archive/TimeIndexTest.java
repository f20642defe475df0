package io.tickbus.archive;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The time and global-sequence lookups (binary searches) give, for every probe, what a scan of the entries gives:
 * the last entry at or below the key for a start, the first bucket after the key's for a stop, the fallback outside
 * the index; and an index survives a store and a load, and a truncated file is refused.
 */
class TimeIndexTest
{
    private static final long GRANULARITY_NS = 1_000_000;
    private static final long FALLBACK = -7;

    @TempDir
    Path dir;

    @Test
    void lookupsEqualAScanOfTheEntries()
    {
        final Random random = new Random(42);
        for (int round = 0; round < 50; round++)
        {
            final TimeIndex index = new TimeIndex(GRANULARITY_NS);
            final int messages = random.nextInt(2_000);
            long time = 1_700_000_000_000_000_000L + random.nextInt(1_000_000_000);
            long position = 0;
            long seq = 1 + random.nextInt(10);
            for (int i = 0; i < messages; i++)
            {
                time += random.nextInt(3) == 0 ? random.nextInt(5 * (int)GRANULARITY_NS) : 0;
                index.onMessage(time, position);
                index.onSequenced(seq, position);
                seq += 1 + random.nextInt(3);
                position += 32 + 32 * random.nextInt(4);
            }
            final long lastTime = index.size() > 0 ? index.time(index.size() - 1) : time;
            for (int probe = 0; probe < 500; probe++)
            {
                final long t = lastTime - random.nextLong(Math.max(1, lastTime - time + 10 * GRANULARITY_NS)) +
                    random.nextInt(3 * (int)GRANULARITY_NS) - 100 * GRANULARITY_NS * (probe % 7 == 0 ? 1 : 0);
                assertEquals(scanStart(index, t), index.startPositionFor(t, FALLBACK), "start " + t);
                assertEquals(scanStop(index, t), index.stopPositionFor(t, FALLBACK), "stop " + t);
                final long s = random.nextLong(seq + 10);
                assertEquals(scanSeq(index, s), index.startPositionForGlobalSeq(s, FALLBACK), "seq " + s);
            }
            // every entry's own key finds that entry, exactly
            for (int i = 0; i < index.size(); i++)
            {
                assertEquals(index.position(i), index.startPositionFor(index.time(i), FALLBACK));
            }
        }
    }

    @Test
    void anEmptyIndexGivesTheFallback()
    {
        final TimeIndex index = new TimeIndex(GRANULARITY_NS);
        assertEquals(FALLBACK, index.startPositionFor(123, FALLBACK));
        assertEquals(FALLBACK, index.stopPositionFor(123, FALLBACK));
        assertEquals(FALLBACK, index.startPositionForGlobalSeq(5, FALLBACK));
    }

    @Test
    void survivesStoreAndLoadAndRefusesATruncatedFile() throws IOException
    {
        final TimeIndex index = new TimeIndex(GRANULARITY_NS);
        for (int i = 0; i < 1_000; i++)
        {
            index.onMessage(i * 3 * GRANULARITY_NS / 2, i * 64L);
            index.onSequenced(i + 1, i * 64L);
        }
        final Path file = dir.resolve("index.tbix");
        index.store(file);
        final TimeIndex loaded = TimeIndex.load(file);
        assertEquals(index.size(), loaded.size());
        assertEquals(index.seqEntries(), loaded.seqEntries());
        for (long t = -GRANULARITY_NS; t < 1_600 * GRANULARITY_NS; t += GRANULARITY_NS / 3)
        {
            assertEquals(index.startPositionFor(t, FALLBACK), loaded.startPositionFor(t, FALLBACK));
            assertEquals(index.stopPositionFor(t, FALLBACK), loaded.stopPositionFor(t, FALLBACK));
        }

        final byte[] bytes = Files.readAllBytes(file);
        final Path cut = dir.resolve("cut.tbix");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        final IOException ex = assertThrows(IOException.class, () -> TimeIndex.load(cut));
        assertTrue(ex.getMessage().contains("truncated"), ex.getMessage());
    }

    private static long scanStart(final TimeIndex index, final long t)
    {
        long result = FALLBACK;
        for (int i = 0; i < index.size() && index.time(i) <= t; i++)
        {
            result = index.position(i);
        }
        return result;
    }

    private static long scanStop(final TimeIndex index, final long t)
    {
        for (int i = 0; i < index.size(); i++)
        {
            if (index.time(i) > t)
            {
                return index.position(i);
            }
        }
        return FALLBACK;
    }

    private static long scanSeq(final TimeIndex index, final long s)
    {
        long result = FALLBACK;
        for (int i = 0; i < index.seqEntries() && index.seq(i) <= s; i++)
        {
            result = index.seqPosition(i);
        }
        return result;
    }
}
