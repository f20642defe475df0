package io.tickbus.archive;

import io.aeron.Aeron;
import io.tickbus.client.TickbusCounters;
import org.agrona.CloseHelper;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * The Aeron counters of a running {@link TickbusArchive}, in the archive range of {@link TickbusCounters}, so
 * {@code tickbus stat} and AeronStat show what an operator asks about: messages indexed, day segments, errors,
 * catalog writes, purged days.
 * <p>
 * Threading: counters are safe to increment from any thread. Allocation: at construction only.
 */
public final class ArchiveCounters implements AutoCloseable
{
    /** Type id: messages indexed into the day catalog. */
    public static final int INDEXED_MESSAGES_TYPE_ID = TickbusCounters.ARCHIVE_BASE;
    /** Type id: day segments created. */
    public static final int SEGMENTS_TYPE_ID = TickbusCounters.ARCHIVE_BASE + 1;
    /** Type id: errors (archive, recording, indexing, catalog persistence). */
    public static final int ERRORS_TYPE_ID = TickbusCounters.ARCHIVE_BASE + 2;
    /** Type id: catalog writes. */
    public static final int CATALOG_WRITES_TYPE_ID = TickbusCounters.ARCHIVE_BASE + 3;
    /** Type id: recorded frames that are not Tickbus messages. */
    public static final int FOREIGN_MESSAGES_TYPE_ID = TickbusCounters.ARCHIVE_BASE + 4;
    /** Type id: whole days purged by retention. */
    public static final int PURGED_DAYS_TYPE_ID = TickbusCounters.ARCHIVE_BASE + 5;
    /** Type id: messages republished by day replays. */
    public static final int REPLAYED_MESSAGES_TYPE_ID = TickbusCounters.ARCHIVE_BASE + 6;
    /** Type id: archive control sessions rejected by authentication. */
    public static final int AUTH_REJECTED_TYPE_ID = TickbusCounters.ARCHIVE_BASE + 7;
    /** Type id: archive control requests refused to read-only sessions. */
    public static final int AUTH_DENIED_TYPE_ID = TickbusCounters.ARCHIVE_BASE + 8;

    final AtomicCounter indexedMessages;
    final AtomicCounter segments;
    final AtomicCounter errors;
    final AtomicCounter catalogWrites;
    final AtomicCounter foreignMessages;
    final AtomicCounter purgedDays;
    final AtomicCounter authRejected;
    final AtomicCounter authDenied;

    ArchiveCounters(final Aeron aeron, final String archiveDir)
    {
        final String suffix = ": dir=" + archiveDir;
        indexedMessages = aeron.addCounter(INDEXED_MESSAGES_TYPE_ID, "tickbus-archive indexed messages" + suffix);
        segments = aeron.addCounter(SEGMENTS_TYPE_ID, "tickbus-archive day segments" + suffix);
        errors = aeron.addCounter(ERRORS_TYPE_ID, "tickbus-archive errors" + suffix);
        catalogWrites = aeron.addCounter(CATALOG_WRITES_TYPE_ID, "tickbus-archive catalog writes" + suffix);
        foreignMessages = aeron.addCounter(FOREIGN_MESSAGES_TYPE_ID, "tickbus-archive non-tickbus frames" + suffix);
        purgedDays = aeron.addCounter(PURGED_DAYS_TYPE_ID, "tickbus-archive purged days" + suffix);
        authRejected = aeron.addCounter(AUTH_REJECTED_TYPE_ID, "tickbus-archive control auth-rejected" + suffix);
        authDenied = aeron.addCounter(AUTH_DENIED_TYPE_ID, "tickbus-archive control reader-denied" + suffix);
    }

    /** @return messages indexed so far. */
    public long indexedMessages()
    {
        return indexedMessages.get();
    }

    /** @return errors so far. */
    public long errors()
    {
        return errors.get();
    }

    /** @return day segments created. */
    public long segments()
    {
        return segments.get();
    }

    /** @return archive control sessions rejected by authentication. */
    public long authRejected()
    {
        return authRejected.get();
    }

    /** @return archive control requests refused to read-only sessions. */
    public long authDenied()
    {
        return authDenied.get();
    }

    /** @return days purged. */
    public long purgedDays()
    {
        return purgedDays.get();
    }

    public void close()
    {
        CloseHelper.closeAll(
            indexedMessages, segments, errors, catalogWrites, foreignMessages, purgedDays, authRejected, authDenied);
    }
}
