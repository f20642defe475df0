package io.tickbus.tools;

import io.tickbus.driver.DriverProfile;
import io.tickbus.driver.TickbusDriver;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code tickbus driver}: a standalone media driver until SIGINT / SIGTERM. On a clean stop the driver is closed
 * first and its directory (the 48 MB {@code cnc.dat}, log buffers) deleted after, as Aeron's
 * {@code dirDeleteOnShutdown} does, unless {@code --keep-dir}; a driver killed with SIGKILL leaves it, and the next
 * driver on the directory deletes it on start.
 */
@Command(
    name = "driver",
    mixinStandardHelpOptions = true,
    description = {
        "Run a standalone Aeron media driver.",
        "Run a standalone Aeron media driver for Tickbus clients on this host until",
        "Ctrl-C or SIGTERM. On that clean stop the driver closes, then deletes its",
        "directory (as Aeron's dirDeleteOnShutdown), unless --keep-dir."},
    footer = {
        "",
        "Examples:",
        "  tickbus driver --dir /dev/shm/tickbus",
        "  tickbus driver --dir /dev/shm/tickbus --profile dedicated --term-length 64m",
        "  tickbus driver --config driver.properties",
        "  tickbus driver --dir /dev/shm/tickbus --keep-dir"})
public final class DriverCommand implements Callable<Integer>
{
    @Option(names = "--dir", description = "Driver directory (default: Aeron's default, /dev/shm/aeron-USER).")
    String dir;

    @Option(names = "--profile", defaultValue = "small",
        description = "small (shared thread, back-off; default) or dedicated (own threads, busy-spin).")
    String profile;

    @Option(names = "--term-length", description = "Term buffer length for UDP publications, e.g. 16m.")
    String termLength;

    @Option(names = "--ipc-term-length", description = "Term buffer length for IPC publications, e.g. 16m.")
    String ipcTermLength;

    @Option(names = "--config", description = "Properties file (tickbus.driver.* keys).")
    Path config;

    @Option(names = "--keep-dir",
        description = "Keep the driver directory after a clean stop (to read its error log or counters).")
    boolean keepDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Run the driver until Ctrl-C / SIGTERM ({@link StopSignal}).
     *
     * @return the exit code.
     * @throws Exception when the driver cannot start.
     */
    public Integer call() throws Exception
    {
        final TickbusDriver.Context ctx = new TickbusDriver.Context();
        if (null != config)
        {
            if (!Files.isReadable(config))
            {
                throw new IllegalArgumentException("config file not readable: " + config);
            }
            ctx.load(config);
        }
        if (null != dir)
        {
            ctx.dir(dir);
        }
        ctx.profile(DriverProfile.parse(profile)).deleteOnClose(!keepDir);
        if (null != termLength)
        {
            ctx.termLength(Sizes.parseInt(termLength));
        }
        if (null != ipcTermLength)
        {
            ctx.ipcTermLength(Sizes.parseInt(ipcTermLength));
        }
        final java.io.PrintWriter out = spec.commandLine().getOut();
        try (StopSignal stop = StopSignal.register(); TickbusDriver driver = TickbusDriver.launch(ctx))
        {
            out.println("tickbus driver running: dir=" + driver.aeronDirectoryName() +
                " profile=" + ctx.profile().name().toLowerCase() + " (Ctrl-C to stop)");
            out.flush();
            while (!stop.isRequested())
            {
                Thread.sleep(50);
            }
        }
        out.println("tickbus driver stopped" + (keepDir ? ": kept " : ": deleted ") + ctx.dir());
        return TickbusCli.EXIT_OK;
    }
}
