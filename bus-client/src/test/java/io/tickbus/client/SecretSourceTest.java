package io.tickbus.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SecretSourceTest
{
    private static final String PROP = "tickbus.test.secret.file";
    private static final String UNSET_ENV = "TICKBUS_TEST_SECRET_UNSET_8F3A";

    @AfterEach
    void after()
    {
        System.clearProperty(PROP);
    }

    @Test
    void readsTrimmedFileNamedByProperty(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("secret");
        Files.write(file, "  s3cret \n".getBytes(StandardCharsets.UTF_8));
        System.setProperty(PROP, file.toString());
        assertEquals("s3cret", SecretSource.read(PROP, UNSET_ENV, UNSET_ENV));
    }

    @Test
    void nothingConfiguredIsNull()
    {
        assertNull(SecretSource.read(PROP, UNSET_ENV, UNSET_ENV));
    }

    @Test
    void missingOrEmptyFileIsAClearError(@TempDir final Path dir) throws Exception
    {
        System.setProperty(PROP, dir.resolve("absent").toString());
        final IllegalArgumentException missing = assertThrows(
            IllegalArgumentException.class, () -> SecretSource.read(PROP, UNSET_ENV, UNSET_ENV));
        assertTrue(missing.getMessage().contains("not readable"), missing.getMessage());

        final Path empty = Files.createFile(dir.resolve("empty"));
        System.setProperty(PROP, empty.toString());
        final IllegalArgumentException blank = assertThrows(
            IllegalArgumentException.class, () -> SecretSource.read(PROP, UNSET_ENV, UNSET_ENV));
        assertTrue(blank.getMessage().contains("empty"), blank.getMessage());
    }

    @Test
    void matchesComparesWholeSecret()
    {
        final byte[] expected = "abc".getBytes(StandardCharsets.UTF_8);
        assertTrue(SecretSource.matches(expected, "abc".getBytes(StandardCharsets.UTF_8)));
        assertFalse(SecretSource.matches(expected, "abd".getBytes(StandardCharsets.UTF_8)));
        assertFalse(SecretSource.matches(expected, "ab".getBytes(StandardCharsets.UTF_8)));
        assertFalse(SecretSource.matches(expected, null));
    }
}
