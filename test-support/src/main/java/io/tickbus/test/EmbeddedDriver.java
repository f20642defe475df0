package io.tickbus.test;

import io.aeron.Aeron;
import io.tickbus.driver.TickbusDriver;
import org.agrona.CloseHelper;

import java.io.File;

/**
 * A test's own media driver and a client connected to it: {@link TickbusDriver#launchEmbedded(String)} (SMALL
 * profile, SHARED threading, back-off idle, a fresh directory under /dev/shm deleted on close) and an
 * {@link Aeron} client of it. Closing closes the client, then the driver; {@link #directoryExists()} then tells
 * whether the driver left its directory behind.
 * <p>
 * Threading: launch and close on the test's thread; the client is thread safe. Allocation: at launch only.
 */
public final class EmbeddedDriver implements AutoCloseable
{
    private final TickbusDriver driver;
    private final Aeron aeron;

    private EmbeddedDriver(final TickbusDriver driver, final Aeron aeron)
    {
        this.driver = driver;
        this.aeron = aeron;
    }

    /**
     * @param name a short name that appears in the driver's directory name.
     * @return the running driver with its connected client.
     */
    public static EmbeddedDriver launch(final String name)
    {
        final TickbusDriver driver = TickbusDriver.launchEmbedded(name);
        try
        {
            return new EmbeddedDriver(
                driver, Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName())));
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(driver);
            throw ex;
        }
    }

    /** @return the client connected to the driver. */
    public Aeron aeron()
    {
        return aeron;
    }

    /** @return the driver. */
    public TickbusDriver driver()
    {
        return driver;
    }

    /** @return the driver's directory, what {@code --driver-dir} takes. */
    public String directory()
    {
        return driver.aeronDirectoryName();
    }

    /** @return true while the driver's directory exists (after {@link #close()}: it was left behind). */
    public boolean directoryExists()
    {
        return new File(driver.aeronDirectoryName()).exists();
    }

    /** Close the client, then the driver (which deletes its directory). */
    public void close()
    {
        CloseHelper.closeAll(aeron, driver);
    }
}
