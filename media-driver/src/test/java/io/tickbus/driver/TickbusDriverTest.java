package io.tickbus.driver;

import io.aeron.Aeron;
import io.aeron.driver.ThreadingMode;
import org.agrona.IoUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TickbusDriverTest
{
    @Test
    void embeddedDriverUsesSmallProfileAndRemovesItsDirectory() throws Exception
    {
        final String dir;
        try (TickbusDriver driver = TickbusDriver.launchEmbedded("driver-test"))
        {
            dir = driver.aeronDirectoryName();
            assertTrue(dir.startsWith(TickbusDriver.Configuration.EMBEDDED_ROOT), dir);
            assertTrue(new File(dir).isDirectory());
            assertEquals(ThreadingMode.SHARED, driver.mediaDriverContext().threadingMode());
            assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"),
                java.nio.file.Files.getPosixFilePermissions(java.nio.file.Path.of(dir)),
                "only the owner reaches the log buffers and counters");
            try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir)))
            {
                assertTrue(aeron.clientId() >= 0);
            }
        }
        assertFalse(new File(dir).exists());
    }

    @Test
    void dedicatedProfileGetsItsOwnThreads()
    {
        try (TickbusDriver driver = TickbusDriver.launch(new TickbusDriver.Context()
            .dir(TickbusDriver.uniqueEmbeddedDir("dedicated")).profile(DriverProfile.DEDICATED).deleteOnClose(true)))
        {
            assertEquals(ThreadingMode.DEDICATED, driver.mediaDriverContext().threadingMode());
        }
    }

    @Test
    void secondDriverOnALiveDirectoryIsRefusedWithAClearMessage()
    {
        try (TickbusDriver first = TickbusDriver.launchEmbedded("in-use"))
        {
            final DriverDirectoryInUseException ex = assertThrows(DriverDirectoryInUseException.class,
                () -> TickbusDriver.launch(new TickbusDriver.Context().dir(first.aeronDirectoryName())));
            assertTrue(ex.getMessage().contains(first.aeronDirectoryName()), ex.getMessage());
            try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(first.aeronDirectoryName())))
            {
                assertTrue(aeron.clientId() >= 0, "the live driver was not disturbed");
            }
        }
    }

    @Test
    void smallProfileIdleParkComesFromItsPropertyAndIsChecked()
    {
        System.setProperty(DriverProfile.SMALL_MAX_PARK_NS_PROP, "20000");
        try (TickbusDriver driver = TickbusDriver.launchEmbedded("park"))
        {
            final String idle = driver.mediaDriverContext().sharedIdleStrategy().toString();
            assertTrue(idle.contains("maxParkPeriodNs=20000"), idle);
        }
        finally
        {
            System.clearProperty(DriverProfile.SMALL_MAX_PARK_NS_PROP);
        }

        System.setProperty(DriverProfile.SMALL_MAX_PARK_NS_PROP, "10");
        final String dir = TickbusDriver.uniqueEmbeddedDir("bad-park");
        try
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> TickbusDriver.launch(new TickbusDriver.Context().dir(dir).deleteOnClose(true)));
            assertTrue(ex.getMessage().contains(DriverProfile.SMALL_MAX_PARK_NS_PROP), ex.getMessage());
        }
        finally
        {
            System.clearProperty(DriverProfile.SMALL_MAX_PARK_NS_PROP);
            IoUtil.delete(new File(dir), true);
        }

        try (TickbusDriver driver = TickbusDriver.launchEmbedded("default-park"))
        {
            final String idle = driver.mediaDriverContext().sharedIdleStrategy().toString();
            assertTrue(idle.contains("maxParkPeriodNs=100000"), "default 100 us: " + idle);
        }
    }

    @Test
    void badTermLengthIsRejectedBeforeLaunch()
    {
        final String dir = TickbusDriver.uniqueEmbeddedDir("bad-term");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> TickbusDriver.launch(new TickbusDriver.Context().dir(dir).termLength(100_000)));
        assertTrue(ex.getMessage().contains("power of two"), ex.getMessage());
        assertFalse(new File(dir).exists(), "nothing created");
    }

    @Test
    void propertiesFileFillsTheContext(@TempDir final Path tmp) throws Exception
    {
        final Path file = tmp.resolve("driver.properties");
        Files.writeString(file, "tickbus.driver.profile=dedicated\ntickbus.driver.term.length=1048576\n" +
            "tickbus.driver.dir=/dev/shm/x\n");
        final TickbusDriver.Context ctx = new TickbusDriver.Context().load(file);
        assertEquals(DriverProfile.DEDICATED, ctx.profile());
        assertEquals(1048576, ctx.termLength());
        assertEquals("/dev/shm/x", ctx.dir());

        Files.writeString(file, "tickbus.driver.profile=turbo\n");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new TickbusDriver.Context().load(file));
        assertTrue(ex.getMessage().contains("small or dedicated"), ex.getMessage());
    }
}
