package io.tickbus.tools;

import sun.misc.Signal;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Lets a long-running command end cleanly on Ctrl-C (SIGINT) or SIGTERM: while one is registered, the signal sets
 * its flag instead of starting JVM shutdown, so the command leaves its loop, prints its summary, closes its
 * resources and returns its exit code. With none registered the signal exits the JVM as usual (code 128 + signal).
 * <p>
 * Unlike a shutdown hook, nothing is left behind when the command returns, so commands can run one after another
 * in one JVM (tests). Threading: {@link #isRequested()} from any thread. Allocation: at registration only.
 */
public final class StopSignal implements AutoCloseable
{
    private static final CopyOnWriteArrayList<StopSignal> ACTIVE = new CopyOnWriteArrayList<>();
    private static boolean installed;

    private volatile boolean requested;

    private StopSignal()
    {
    }

    /**
     * @return a registered signal; close it when the command's loop ends.
     */
    public static StopSignal register()
    {
        install();
        final StopSignal signal = new StopSignal();
        ACTIVE.add(signal);
        return signal;
    }

    private static synchronized void install()
    {
        if (!installed)
        {
            installed = true;
            handle("INT", 2);
            handle("TERM", 15);
        }
    }

    private static void handle(final String name, final int number)
    {
        try
        {
            Signal.handle(new Signal(name), (sig) ->
            {
                if (ACTIVE.isEmpty())
                {
                    System.exit(128 + number);
                }
                for (final StopSignal signal : ACTIVE)
                {
                    signal.requested = true;
                }
            });
        }
        catch (final IllegalArgumentException ex)
        {
            // the signal is not available on this platform or is reserved by the JVM (-Xrs): keep the default.
        }
    }

    /** @return true once a stop was asked for. */
    public boolean isRequested()
    {
        return requested;
    }

    /** Ask for a stop from code (tests, other threads). */
    public void request()
    {
        requested = true;
    }

    /**
     * Ask every registered command to stop, as a signal would (tests, embedding code).
     */
    public static void requestAll()
    {
        for (final StopSignal signal : ACTIVE)
        {
            signal.requested = true;
        }
    }

    /** Unregister. */
    public void close()
    {
        ACTIVE.remove(this);
    }
}
