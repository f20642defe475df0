package io.tickbus.archive;

import java.util.ArrayList;
import java.util.List;

/**
 * What a retention purge did ({@link TickbusArchive#purge(int, java.time.LocalDate)}): one line per purged
 * (day, stream) and one per skipped (day, stream) with the reason.
 * <p>
 * Filled by the thread that purges, read by the caller after the purge returned. Allocation: a line per day.
 */
public final class PurgeReport
{
    final List<String> purged = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();

    /** @return one line per purged (day, stream). */
    public List<String> purged()
    {
        return purged;
    }

    /** @return one line per skipped (day, stream) with the reason. */
    public List<String> skipped()
    {
        return skipped;
    }
}
