package io.tickbus.archive;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The catalog files without an archive: a version 1 catalog and index (before recording start times, global
 * sequences and the global-sequence index) still load, in recording order, and are rewritten as version 2 with
 * no temporary file left behind.
 */
class DayCatalogFormatTest
{
    @TempDir
    Path dir;

    @Test
    void versionOneCatalogLoadsInRecordingOrderAndIsRewrittenAsVersionTwo() throws Exception
    {
        final Path indexDir = Files.createDirectories(dir.resolve(DayCatalog.INDEX_DIR));
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(indexDir.resolve("rec-0-0.tidx"))))
        {
            out.writeInt(0x54424958);
            out.writeLong(1_000_000_000L);
            out.writeInt(2);
            out.writeLong(5_000_000_000L);
            out.writeLong(0);
            out.writeLong(6_000_000_000L);
            out.writeLong(640);
        }
        // Written by a rebuild before the fix: the later recording first.
        Files.write(dir.resolve(DayCatalog.FILE_NAME), List.of(
            "tickbus-catalog 1 granularityNs=1000000000 zone=UTC roll=00:00",
            "day\tstream\trecordingId\tsessionId\tstartPosition\tstopPosition\tfirstExchangeTime\tlastExchangeTime\t" +
                "messages\tclosed\tchannel",
            "1970-01-01\t7\t1\t11\t0\t320\t7000000000\t7000000001\t5\t0\taeron:ipc",
            "1970-01-01\t7\t0\t10\t0\t1280\t5000000000\t6000000001\t20\t0\taeron:ipc"), StandardCharsets.UTF_8);

        final DayCatalog v1 = DayCatalog.load(dir);
        assertEquals(2, v1.segments().size());
        assertEquals(2, v1.segments().get(0).index().size());
        assertEquals(0, v1.segments().get(0).index().seqEntries());
        assertEquals(0, v1.segments().get(0).firstGlobalSeq());

        // The archive reports the start times: the segments take their places in recording order.
        v1.recordingStarted(1, 2_000);
        v1.recordingStarted(0, 1_000);
        assertEquals(0, v1.segments().get(0).recordingId());
        assertEquals(1, v1.segments().get(1).recordingId());

        v1.store(dir);
        assertFalse(Files.exists(dir.resolve(DayCatalog.FILE_NAME + ".tmp")));
        assertEquals("tickbus-catalog 2", Files.readAllLines(dir.resolve(DayCatalog.FILE_NAME)).get(0).substring(0, 17));
        final DayCatalog v2 = DayCatalog.load(dir);
        assertEquals(DayCatalogTest.describe(v1), DayCatalogTest.describe(v2));
        assertEquals(1_000, v2.segments().get(0).recordingStartTime());
    }
}
