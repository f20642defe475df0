package io.tickbus.tools;

import io.tickbus.client.BusChannels;
import io.tickbus.client.Durations;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Option checks the commands share, each throwing {@link IllegalArgumentException} with a one-line reason (the
 * command line maps it to exit code 2 with the usage). Stateless.
 */
public final class CliChecks
{
    private CliChecks()
    {
    }

    /**
     * @param option the option name, for the message.
     * @param channel an Aeron channel URI.
     * @return the channel.
     */
    public static String channel(final String option, final String channel)
    {
        if (null == channel || channel.isBlank())
        {
            throw new IllegalArgumentException(option + " needs a channel URI, e.g. aeron:ipc");
        }
        try
        {
            BusChannels.validate(channel);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(option + ": " + ex.getMessage());
        }
        return channel;
    }

    /**
     * @param option the option name.
     * @param port a TCP or UDP port.
     * @return the port.
     */
    public static int port(final String option, final int port)
    {
        if (port < 1 || port > 65535)
        {
            throw new IllegalArgumentException(option + " port out of range (1-65535): " + port);
        }
        return port;
    }

    /**
     * @param option the option name.
     * @param value a count that may be zero.
     * @return the value.
     */
    public static long notNegative(final String option, final long value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException(option + " must not be negative: " + value);
        }
        return value;
    }

    /**
     * @param option the option name.
     * @param value a value that must be above zero.
     * @return the value.
     */
    public static long positive(final String option, final long value)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException(option + " must be positive: " + value);
        }
        return value;
    }

    /**
     * @param option the option name.
     * @param text a duration such as 10s, or null.
     * @return nanoseconds, 0 when null.
     */
    public static long duration(final String option, final String text)
    {
        if (null == text)
        {
            return 0;
        }
        final long ns;
        try
        {
            ns = Durations.parseNanos(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(option + ": " + ex.getMessage());
        }
        if (ns <= 0)
        {
            throw new IllegalArgumentException(option + " must be positive: " + text);
        }
        return ns;
    }

    /**
     * @param option the option name.
     * @param zone a time zone id such as America/New_York or UTC.
     * @return the zone.
     */
    public static java.time.ZoneId zone(final String option, final String zone)
    {
        try
        {
            return java.time.ZoneId.of(zone);
        }
        catch (final java.time.DateTimeException ex)
        {
            throw new IllegalArgumentException(option + ": unknown time zone '" + zone + "' (e.g. America/New_York, " +
                "Europe/London, UTC)");
        }
    }

    /**
     * @param option the option name.
     * @param file a file that must exist and be readable.
     * @return the file.
     */
    public static Path readableFile(final String option, final Path file)
    {
        if (!Files.isRegularFile(file) || !Files.isReadable(file))
        {
            throw new IllegalArgumentException(option + ": no such readable file: " + file);
        }
        return file;
    }

    /**
     * @param option the option name.
     * @param file a file to write: its directory must exist.
     * @return the file.
     */
    public static Path writableFile(final String option, final Path file)
    {
        final Path parent = file.toAbsolutePath().getParent();
        if (null != parent && !Files.isDirectory(parent))
        {
            throw new IllegalArgumentException(option + ": directory does not exist: " + parent);
        }
        return file;
    }
}
