package io.tickbus.driver;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * How the media driver uses the CPU.
 * <ul>
 *   <li>{@link #SMALL}: one shared driver thread with a back-off idle strategy. The default: right for
 *   laptops, CI and 2-core boxes where busy-spinning threads starve each other.</li>
 *   <li>{@link #DEDICATED}: sender, receiver and conductor on their own threads, busy-spinning. For hosts
 *   with isolated cores only (see docs/tuning.md).</li>
 * </ul>
 */
public enum DriverProfile
{
    SMALL
    {
        void apply(final MediaDriver.Context ctx)
        {
            final long maxParkNs = smallMaxParkNs();
            ctx.threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new BackoffIdleStrategy(
                    10, 20, TimeUnit.MICROSECONDS.toNanos(1), maxParkNs));
        }
    },
    DEDICATED
    {
        void apply(final MediaDriver.Context ctx)
        {
            ctx.threadingMode(ThreadingMode.DEDICATED)
                .conductorIdleStrategy(new BackoffIdleStrategy(
                    10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MICROSECONDS.toNanos(100)))
                .senderIdleStrategy(new BusySpinIdleStrategy())
                .receiverIdleStrategy(new BusySpinIdleStrategy());
        }
    };

    /**
     * System property: the longest park of the {@link #SMALL} profile's shared driver thread when idle, ns (default
     * 100 us). Every message crossing a driver can wait up to this long at low rates; lower costs idle CPU.
     */
    public static final String SMALL_MAX_PARK_NS_PROP = "tickbus.driver.idle.max.park.ns";

    /** Default of {@link #SMALL_MAX_PARK_NS_PROP}. */
    public static final long SMALL_MAX_PARK_NS_DEFAULT = TimeUnit.MICROSECONDS.toNanos(100);

    abstract void apply(MediaDriver.Context ctx);

    static long smallMaxParkNs()
    {
        final long ns = Long.getLong(SMALL_MAX_PARK_NS_PROP, SMALL_MAX_PARK_NS_DEFAULT);
        if (ns < 1_000 || ns > TimeUnit.SECONDS.toNanos(1))
        {
            throw new IllegalArgumentException(
                SMALL_MAX_PARK_NS_PROP + " must be between 1000 (1 us) and 1000000000 (1 s), not " + ns);
        }
        return ns;
    }

    /**
     * Parse a profile name as written on the command line or in a properties file.
     *
     * @param name {@code small} or {@code dedicated}, any case.
     * @return the profile.
     * @throws IllegalArgumentException naming the accepted values when the name is unknown.
     */
    public static DriverProfile parse(final String name)
    {
        for (final DriverProfile p : values())
        {
            if (p.name().equalsIgnoreCase(name.trim()))
            {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown driver profile '" + name + "' (expected small or dedicated)");
    }
}
