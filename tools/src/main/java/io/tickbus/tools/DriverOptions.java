package io.tickbus.tools;

import io.aeron.Aeron;
import io.aeron.CommonContext;
import io.tickbus.driver.TickbusDriver;
import io.aeron.exceptions.DriverTimeoutException;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentTerminationException;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The options every bus client command shares to reach a media driver: {@code --driver-dir D} (an external
 * driver, Aeron's default directory when absent) or {@code --embedded-driver} (a private driver in this JVM,
 * deleted on exit). A Picocli mixin: {@code @Mixin DriverOptions driver;}.
 * <p>
 * Threading: used from the command's thread. Allocation: at connect only.
 */
public final class DriverOptions
{
    @Option(names = "--driver-dir", paramLabel = "DIR",
        description = "Media driver directory (default: aeron.dir or Aeron's default, /dev/shm/aeron-USER).")
    String driverDir;

    @Option(names = "--embedded-driver",
        description = "Run a private media driver inside this process (small profile) instead of using one.")
    boolean embedded;

    /**
     * @return the directory an external driver is expected in.
     */
    public String directory()
    {
        if (null != driverDir && !driverDir.isBlank())
        {
            return driverDir;
        }
        return System.getProperty(CommonContext.AERON_DIR_PROP_NAME, CommonContext.getAeronDirectoryName());
    }

    /**
     * Check the options before anything starts.
     *
     * @throws IllegalArgumentException when both are given.
     */
    public void validate()
    {
        if (embedded && null != driverDir)
        {
            throw new IllegalArgumentException("--driver-dir and --embedded-driver exclude each other");
        }
    }

    /**
     * Connect an Aeron client, launching the embedded driver first when asked.
     *
     * @param clientName a name for the Aeron client (shows in driver logs).
     * @return the connection; close it to release the client and any embedded driver.
     * @throws IllegalStateException when no driver is running in the directory (a runtime error, exit 1).
     */
    public Connection connect(final String clientName)
    {
        validate();
        TickbusDriver driver = null;
        final String dir;
        if (embedded)
        {
            driver = TickbusDriver.launchEmbedded(clientName);
            dir = driver.aeronDirectoryName();
        }
        else
        {
            dir = directory();
            if (!CommonContext.isDriverActive(new File(dir), 2_000, (msg) -> { }))
            {
                throw new IllegalStateException("no media driver running in " + dir +
                    " (start one with 'tickbus driver --dir " + dir + "', or pass --embedded-driver)");
            }
        }
        final ClientErrors errors = new ClientErrors();
        try
        {
            return new Connection(connectClient(dir, clientName, errors), driver, errors, clientName);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(driver);
            throw ex;
        }
    }

    private static Aeron connectClient(final String dir, final String clientName, final ClientErrors errors)
    {
        return Aeron.connect(new Aeron.Context()
            .aeronDirectoryName(dir)
            .clientName("tickbus-" + clientName)
            .errorHandler(errors)
            .subscriberErrorHandler(errors));
    }

    /**
     * Keeps the Aeron client's errors for the command instead of Aeron's default handler, which exits the JVM when
     * the driver goes away: a command reports a lost driver as a runtime error (exit 1), and tests survive it.
     */
    static final class ClientErrors implements ErrorHandler
    {
        private final AtomicLong count = new AtomicLong();
        private volatile Throwable last;

        public void onError(final Throwable throwable)
        {
            count.incrementAndGet();
            last = throwable;
            // A lost driver or a client paused past its liveness is reported by the command (one line), not here.
            if (!isLostClient(throwable))
            {
                System.err.println("tickbus: aeron client error: " + throwable);
            }
        }

        /**
         * The errors a client raises as it is closed for losing its driver. Which of them comes first depends on
         * timing: the client's own service-interval check, the driver's client timeout, or the driver closing the
         * client's heartbeat counter (a plain {@link io.aeron.exceptions.AeronException}, known only by its text).
         */
        static boolean isLostClient(final Throwable throwable)
        {
            return throwable instanceof DriverTimeoutException ||
                throwable instanceof AgentTerminationException ||
                throwable instanceof io.aeron.exceptions.ConductorServiceTimeoutException ||
                throwable instanceof io.aeron.exceptions.ClientTimeoutException ||
                (throwable instanceof io.aeron.exceptions.AeronException && null != throwable.getMessage() &&
                throwable.getMessage().contains("unexpected close of heartbeat timestamp counter"));
        }
    }

    /**
     * An Aeron client and, when embedded, the driver it runs on.
     */
    public static final class Connection implements AutoCloseable
    {
        private Aeron aeron;
        private final TickbusDriver driver;
        private final ClientErrors errors;
        private final String clientName;

        Connection(final Aeron aeron, final TickbusDriver driver, final ClientErrors errors, final String clientName)
        {
            this.aeron = aeron;
            this.driver = driver;
            this.errors = errors;
            this.clientName = clientName;
        }

        /**
         * After the client lost its driver (closed by Aeron's liveness checks, e.g. after this process was paused
         * for longer than the driver's client liveness timeout), connect a new client to the same driver.
         *
         * @return true when a new client is connected; false when the client was not closed.
         * @throws IllegalStateException when the driver itself is gone.
         */
        public boolean reconnect()
        {
            if (!aeron.isClosed())
            {
                return false;
            }
            final String dir = directory();
            if (!CommonContext.isDriverActive(new File(dir), 5_000, (msg) -> { }))
            {
                checkAlive();
            }
            CloseHelper.quietClose(aeron);
            aeron = connectClient(dir, clientName, errors);
            return true;
        }

        /**
         * Call in a command's loop: fails once the client has lost its driver.
         *
         * @throws IllegalStateException with the reason when the client is closed.
         */
        public void checkAlive()
        {
            if (aeron.isClosed())
            {
                final Throwable last = errors.last;
                throw new IllegalStateException("lost the media driver in " + directory() +
                    (null == last ? "" : ": " + last.getMessage()));
            }
        }

        /** @return errors the Aeron client reported. */
        public long errorCount()
        {
            return errors.count.get();
        }

        /** @return the client. */
        public Aeron aeron()
        {
            return aeron;
        }

        /** @return the driver directory. */
        public String directory()
        {
            return aeron.context().aeronDirectoryName();
        }

        /** Close the client, then the embedded driver if any. */
        public void close()
        {
            CloseHelper.closeAll(aeron, driver);
        }
    }
}
