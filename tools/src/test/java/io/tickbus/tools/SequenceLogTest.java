package io.tickbus.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SequenceLogTest
{
    @Test
    void appendsLittleEndianTriplesAcrossBufferFillsAndReopens(@TempDir final Path tmp) throws Exception
    {
        final Path file = tmp.resolve("seq.log");
        assertNull(SequenceLog.open(null));
        try (SequenceLog log = SequenceLog.open(file))
        {
            for (long i = 1; i <= 10_000; i++)
            {
                log.append(i, i % 3, i * 7);
            }
        }
        try (SequenceLog log = SequenceLog.open(file))
        {
            log.append(10_001, 2, 5);
        }
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(10_001 * SequenceLog.RECORD_LENGTH, bytes.remaining());
        for (long i = 1; i <= 10_000; i++)
        {
            assertEquals(i, bytes.getLong());
            assertEquals(i % 3, bytes.getLong());
            assertEquals(i * 7, bytes.getLong());
        }
        assertEquals(10_001, bytes.getLong());
        assertEquals(2, bytes.getLong());
        assertEquals(5, bytes.getLong());
    }
}
