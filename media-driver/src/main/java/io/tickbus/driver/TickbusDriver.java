package io.tickbus.driver;

import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import org.agrona.CloseHelper;
import org.agrona.IoUtil;
import org.agrona.SystemUtil;
import org.agrona.concurrent.ShutdownSignalBarrier;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Tickbus media driver: Aeron's {@link MediaDriver} launched with a {@link DriverProfile}, either as a
 * standalone process ({@link #main(String[])}) or embedded in a JVM ({@link #launch(Context)}).
 * <p>
 * The driver directory is made owner-only (0700, {@link OwnerOnlyDirectory}) once the driver has created it.
 * <p>
 * Threading: launch and close from one thread; the driver runs on its own thread(s) as the profile says.
 * Allocation: only at launch.
 */
public final class TickbusDriver implements AutoCloseable
{
    /** Property names and defaults, in Aeron's habit. */
    public static final class Configuration
    {
        /** Driver profile: {@code small} or {@code dedicated}. */
        public static final String PROFILE_PROP = "tickbus.driver.profile";
        /** Default profile. */
        public static final String PROFILE_DEFAULT = "small";
        /** Driver directory; Aeron's own {@code aeron.dir} is honoured when this is absent. */
        public static final String DIR_PROP = "tickbus.driver.dir";
        /** Term buffer length for network publications, a power of two from 64 KiB to 1 GiB. */
        public static final String TERM_LENGTH_PROP = "tickbus.driver.term.length";
        /** Default term length: 16 MiB, so a message up to 2 MiB fits (term length / 8). */
        public static final int TERM_LENGTH_DEFAULT = 16 * 1024 * 1024;
        /** Term buffer length for IPC publications. */
        public static final String IPC_TERM_LENGTH_PROP = "tickbus.driver.ipc.term.length";
        /** Default IPC term length. */
        public static final int IPC_TERM_LENGTH_DEFAULT = 16 * 1024 * 1024;
        /** Directory to hold the embedded drivers' directories instead of the default (e.g. one per process). */
        public static final String EMBEDDED_ROOT_PROP = "tickbus.driver.embedded.root";
        /**
         * Directory holding one driver directory per embedded driver: {@value #EMBEDDED_ROOT_PROP} when set, else
         * /dev/shm where it exists.
         */
        public static final String EMBEDDED_ROOT = System.getProperty(EMBEDDED_ROOT_PROP,
            new File("/dev/shm").isDirectory() ? "/dev/shm" : System.getProperty("java.io.tmpdir"));

        private Configuration()
        {
        }
    }

    private static final AtomicLong EMBEDDED_COUNTER = new AtomicLong();

    private final MediaDriver mediaDriver;
    private final Context ctx;

    private TickbusDriver(final MediaDriver mediaDriver, final Context ctx)
    {
        this.mediaDriver = mediaDriver;
        this.ctx = ctx;
    }

    /**
     * Launch a driver.
     *
     * @param ctx settings; {@link Context#conclude()} is called here.
     * @return the running driver.
     * @throws DriverDirectoryInUseException when a live driver owns the directory.
     */
    public static TickbusDriver launch(final Context ctx)
    {
        ctx.conclude();
        final String dir = ctx.dir();
        if (CommonContext.isDriverActive(new File(dir), ctx.driverTimeoutMs, (msg) -> { }))
        {
            throw new DriverDirectoryInUseException(dir);
        }

        final MediaDriver.Context driverCtx = new MediaDriver.Context()
            .aeronDirectoryName(dir)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(ctx.deleteOnClose)
            .termBufferSparseFile(true)
            .publicationTermBufferLength(ctx.termLength)
            .ipcTermBufferLength(ctx.ipcTermLength)
            .driverTimeoutMs(ctx.driverTimeoutMs)
            .spiesSimulateConnection(ctx.spiesSimulateConnection);
        ctx.profile.apply(driverCtx);

        final MediaDriver mediaDriver = MediaDriver.launch(driverCtx);
        try
        {
            OwnerOnlyDirectory.restrict(new File(dir).toPath());
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(mediaDriver);
            throw ex;
        }
        return new TickbusDriver(mediaDriver, ctx);
    }

    /**
     * An embedded driver with the {@link DriverProfile#SMALL} profile in a fresh directory under /dev/shm,
     * deleted on close: what tests and the demo use.
     *
     * @param name a short name that appears in the directory name.
     * @return the running driver.
     */
    public static TickbusDriver launchEmbedded(final String name)
    {
        return launch(new Context().dir(uniqueEmbeddedDir(name)).deleteOnClose(true));
    }

    /**
     * A fresh, unused directory path for an embedded component (driver, archive, cluster member).
     *
     * @param name a short name that appears in the directory name.
     * @return the absolute path; not created.
     */
    public static String uniqueEmbeddedDir(final String name)
    {
        return Configuration.EMBEDDED_ROOT + File.separator + "tickbus-" + name + "-" + ProcessHandle.current().pid() +
            "-" + EMBEDDED_COUNTER.incrementAndGet() + "-" + System.nanoTime();
    }

    /**
     * @return the Aeron directory clients connect to.
     */
    public String aeronDirectoryName()
    {
        return mediaDriver.aeronDirectoryName();
    }

    /**
     * @return the underlying Aeron driver context, for components that embed an archive or cluster with it.
     */
    public MediaDriver.Context mediaDriverContext()
    {
        return mediaDriver.context();
    }

    /**
     * @return the settings this driver was launched with.
     */
    public Context context()
    {
        return ctx;
    }

    /**
     * Stop the driver; the directory is deleted when the context says so.
     */
    public void close()
    {
        CloseHelper.close(mediaDriver);
        if (ctx.deleteOnClose)
        {
            IoUtil.delete(new File(ctx.dir()), true);
        }
    }

    /**
     * Run a standalone driver until SIGINT / SIGTERM.
     *
     * @param args optional path of a properties file; system properties override it.
     */
    public static void main(final String[] args)
    {
        SystemUtil.loadPropertiesFiles(args);
        // Closing the barrier lets the JVM's shutdown complete once the driver is closed (Agrona 2.x holds it).
        try (ShutdownSignalBarrier barrier = new ShutdownSignalBarrier(); TickbusDriver driver = launch(new Context()))
        {
            System.out.println("tickbus driver: dir=" + driver.aeronDirectoryName() + " profile=" + driver.ctx.profile);
            barrier.await();
            System.out.println("tickbus driver: shutting down");
        }
    }

    /**
     * Settings for a driver: filled from system properties (see {@link Configuration}) and then from setters,
     * validated in {@link #conclude()}.
     */
    public static final class Context
    {
        private String dir = System.getProperty(Configuration.DIR_PROP);
        private DriverProfile profile = DriverProfile.parse(
            System.getProperty(Configuration.PROFILE_PROP, Configuration.PROFILE_DEFAULT));
        private int termLength = Integer.getInteger(Configuration.TERM_LENGTH_PROP, Configuration.TERM_LENGTH_DEFAULT);
        private int ipcTermLength = Integer.getInteger(
            Configuration.IPC_TERM_LENGTH_PROP, Configuration.IPC_TERM_LENGTH_DEFAULT);
        private long driverTimeoutMs = Long.getLong("aeron.driver.timeout", 10_000);
        private boolean deleteOnClose;
        private boolean spiesSimulateConnection;

        /**
         * Apply a properties file (the same keys as the system properties).
         *
         * @param file the file.
         * @return this.
         * @throws IOException when it cannot be read.
         */
        public Context load(final Path file) throws IOException
        {
            final Properties props = new Properties();
            try (var in = Files.newInputStream(file))
            {
                props.load(in);
            }
            if (props.containsKey(Configuration.DIR_PROP))
            {
                dir = props.getProperty(Configuration.DIR_PROP);
            }
            if (props.containsKey(Configuration.PROFILE_PROP))
            {
                profile = DriverProfile.parse(props.getProperty(Configuration.PROFILE_PROP));
            }
            if (props.containsKey(Configuration.TERM_LENGTH_PROP))
            {
                termLength = Integer.parseInt(props.getProperty(Configuration.TERM_LENGTH_PROP).trim());
            }
            if (props.containsKey(Configuration.IPC_TERM_LENGTH_PROP))
            {
                ipcTermLength = Integer.parseInt(props.getProperty(Configuration.IPC_TERM_LENGTH_PROP).trim());
            }
            return this;
        }

        /**
         * Check values and fill defaults.
         *
         * @throws IllegalArgumentException naming the bad value.
         */
        public void conclude()
        {
            if (null == dir || dir.isBlank())
            {
                dir = System.getProperty(CommonContext.AERON_DIR_PROP_NAME, CommonContext.getAeronDirectoryName());
            }
            checkTermLength("term length", termLength);
            checkTermLength("IPC term length", ipcTermLength);
            if (driverTimeoutMs < 1000)
            {
                throw new IllegalArgumentException("driver timeout must be at least 1000 ms: " + driverTimeoutMs);
            }
        }

        private static void checkTermLength(final String what, final int length)
        {
            if (length < 64 * 1024 || length > 1024 * 1024 * 1024 || Integer.bitCount(length) != 1)
            {
                throw new IllegalArgumentException(
                    what + " must be a power of two from 65536 to 1073741824: " + length);
            }
        }

        /** @return the driver directory. */
        public String dir()
        {
            return dir;
        }

        /**
         * @param dir the driver directory.
         * @return this.
         */
        public Context dir(final String dir)
        {
            this.dir = dir;
            return this;
        }

        /** @return the profile. */
        public DriverProfile profile()
        {
            return profile;
        }

        /**
         * @param profile the profile.
         * @return this.
         */
        public Context profile(final DriverProfile profile)
        {
            this.profile = profile;
            return this;
        }

        /** @return term length for network publications. */
        public int termLength()
        {
            return termLength;
        }

        /**
         * @param termLength term length for network publications.
         * @return this.
         */
        public Context termLength(final int termLength)
        {
            this.termLength = termLength;
            return this;
        }

        /** @return term length for IPC publications. */
        public int ipcTermLength()
        {
            return ipcTermLength;
        }

        /**
         * @param ipcTermLength term length for IPC publications.
         * @return this.
         */
        public Context ipcTermLength(final int ipcTermLength)
        {
            this.ipcTermLength = ipcTermLength;
            return this;
        }

        /** @return driver liveness timeout in ms. */
        public long driverTimeoutMs()
        {
            return driverTimeoutMs;
        }

        /**
         * @param driverTimeoutMs driver liveness timeout in ms.
         * @return this.
         */
        public Context driverTimeoutMs(final long driverTimeoutMs)
        {
            this.driverTimeoutMs = driverTimeoutMs;
            return this;
        }

        /** @return whether the directory is deleted when the driver closes. */
        public boolean deleteOnClose()
        {
            return deleteOnClose;
        }

        /**
         * @param deleteOnClose delete the directory when the driver closes.
         * @return this.
         */
        public Context deleteOnClose(final boolean deleteOnClose)
        {
            this.deleteOnClose = deleteOnClose;
            return this;
        }

        /**
         * @param spiesSimulateConnection let a spy subscription count as a connected subscriber.
         * @return this.
         */
        public Context spiesSimulateConnection(final boolean spiesSimulateConnection)
        {
            this.spiesSimulateConnection = spiesSimulateConnection;
            return this;
        }
    }
}
