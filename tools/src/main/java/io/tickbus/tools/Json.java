package io.tickbus.tools;

/**
 * The little JSON the command line writes: string escaping. Stateless.
 */
public final class Json
{
    private Json()
    {
    }

    /**
     * Append a JSON string literal, quoted and escaped.
     *
     * @param sb where to append.
     * @param value the text.
     * @return sb.
     */
    public static StringBuilder appendString(final StringBuilder sb, final CharSequence value)
    {
        sb.append('"');
        for (int i = 0, n = value.length(); i < n; i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default ->
                {
                    if (c < 0x20)
                    {
                        sb.append(String.format("\\u%04x", (int)c));
                    }
                    else
                    {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }
}
