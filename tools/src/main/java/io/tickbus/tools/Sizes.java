package io.tickbus.tools;

/**
 * Parses byte sizes as operators write them ({@code 65536}, {@code 64k}, {@code 16m}, {@code 1g}) and writes them as
 * people read them ({@code 601 B}, {@code 34.5 KiB}). Stateless.
 */
public final class Sizes
{
    private Sizes()
    {
    }

    /**
     * @param text the size.
     * @return bytes.
     * @throws IllegalArgumentException when not a size or above 2 GiB - 1.
     */
    public static int parseInt(final String text)
    {
        final String t = text.trim().toLowerCase();
        long multiplier = 1;
        String digits = t;
        if (t.endsWith("k") || t.endsWith("m") || t.endsWith("g"))
        {
            multiplier = t.endsWith("k") ? 1024L : t.endsWith("m") ? 1024L * 1024 : 1024L * 1024 * 1024;
            digits = t.substring(0, t.length() - 1);
        }
        try
        {
            final long value = Long.parseLong(digits) * multiplier;
            if (value <= 0 || value > Integer.MAX_VALUE)
            {
                throw new IllegalArgumentException("size out of range: '" + text + "'");
            }
            return (int)value;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("not a size: '" + text + "' (examples: 65536, 64k, 16m)");
        }
    }

    /**
     * @param bytes a size.
     * @return it in the largest binary unit that keeps it at 1 or more, one decimal: 601 B, 34.5 KiB, 2.0 GiB.
     */
    public static String format(final long bytes)
    {
        if (bytes < 1024)
        {
            return bytes + " B";
        }
        final String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes / 1024.0;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1)
        {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
