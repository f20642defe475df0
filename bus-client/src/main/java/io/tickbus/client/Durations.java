package io.tickbus.client;

/**
 * Parses durations written as operators write them: {@code 250ns}, {@code 100us}, {@code 5ms}, {@code 10s},
 * {@code 2m}, {@code 1h}; a bare number is seconds.
 */
public final class Durations
{
    private Durations()
    {
    }

    /**
     * @param text the duration.
     * @return nanoseconds.
     * @throws IllegalArgumentException with the accepted forms when the text is not a duration.
     */
    public static long parseNanos(final String text)
    {
        final String t = text.trim().toLowerCase();
        int split = 0;
        while (split < t.length() && (Character.isDigit(t.charAt(split)) || t.charAt(split) == '.'))
        {
            split++;
        }
        if (split == 0)
        {
            throw new IllegalArgumentException("not a duration: '" + text + "' (examples: 500us, 5ms, 10s, 2m)");
        }
        final double value;
        try
        {
            value = Double.parseDouble(t.substring(0, split));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("not a duration: '" + text + "' (examples: 500us, 5ms, 10s, 2m)");
        }
        final double unitNs = switch (t.substring(split))
        {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "", "s" -> 1e9;
            case "m" -> 60e9;
            case "h" -> 3600e9;
            default -> throw new IllegalArgumentException(
                "unknown unit in duration '" + text + "' (use ns, us, ms, s, m or h)");
        };
        final double ns = value * unitNs;
        if (ns > Long.MAX_VALUE)
        {
            throw new IllegalArgumentException("duration too large: '" + text + "'");
        }
        return (long)ns;
    }
}
