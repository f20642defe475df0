package io.tickbus.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What {@code tickbus recordings} says in words for no, one and many days, recordings and segments (the table
 * itself over a real archive is in {@link ArchiveCommandsTest}).
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RecordingsTableTest
{
    @Test
    void countsAreWordsInTheSingularAndThePlural()
    {
        assertEquals("1 recording, 1 segment", RecordingsCommand.recordedAs(1, 1));
        assertEquals("1 recording, 2 segments", RecordingsCommand.recordedAs(1, 2));
        assertEquals("3 recordings, 4 segments", RecordingsCommand.recordedAs(3, 4));
    }

    @Test
    void headingNamesDaysStreamsArchiveAndZone()
    {
        final Path dir = Path.of("/data/tb");
        assertEquals("1 recorded day of 1 stream in /data/tb (times of day in UTC)",
            RecordingsCommand.heading(1, 1, dir, ZoneId.of("UTC")));
        assertEquals("5 recorded days of 2 streams in /data/tb (times of day in America/New_York)",
            RecordingsCommand.heading(5, 2, dir, ZoneId.of("America/New_York")));
    }

    @Test
    void noDaysIsOneLine()
    {
        assertEquals(List.of("no recorded days in /data/tb"),
            RecordingsCommand.table(List.of(), ZoneId.of("UTC"), Path.of("/data/tb")));
    }

    @Test
    void sizesReadAsBinaryUnits()
    {
        assertEquals("0 B", Sizes.format(0));
        assertEquals("1023 B", Sizes.format(1023));
        assertEquals("1.0 KiB", Sizes.format(1024));
        assertEquals("34.5 KiB", Sizes.format(35_328));
        assertEquals("48.0 MiB", Sizes.format(48L << 20));
        assertEquals("2.0 GiB", Sizes.format(2L << 30));
    }
}
