package io.tickbus.sequencer;

import io.tickbus.client.SecretSource;
import io.tickbus.sequencer.client.SequencerProtocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The secret of each feed allowed to send to the sequencer. Loaded from a properties file with one line per feed,
 * {@code feed.ID=SECRET}, or from the environment variable {@value #ENV_INLINE} as {@code ID=SECRET,ID=SECRET};
 * never from a command-line argument, where secrets would show in the process list.
 * <p>
 * Immutable after loading; thread safe. Allocates only while loading and in {@link #check(int, byte[])} callers.
 */
public final class FeedCredentials
{
    /** Environment variable naming a credentials file. */
    public static final String ENV_FILE = "TICKBUS_SEQUENCER_CREDENTIALS_FILE";
    /** Environment variable holding credentials inline, {@code ID=SECRET,ID=SECRET}. */
    public static final String ENV_INLINE = "TICKBUS_SEQUENCER_CREDENTIALS";
    /** System property naming a credentials file. */
    public static final String FILE_PROP = "tickbus.sequencer.credentials.file";

    private static final String KEY_PREFIX = "feed.";

    private final Map<Integer, byte[]> secrets;

    private FeedCredentials(final Map<Integer, byte[]> secrets)
    {
        this.secrets = secrets;
    }

    /**
     * @param feedSecrets feed id to secret.
     * @return the credentials.
     */
    public static FeedCredentials of(final Map<Integer, String> feedSecrets)
    {
        final Map<Integer, byte[]> secrets = new TreeMap<>();
        feedSecrets.forEach((id, secret) -> secrets.put(SequencerProtocol.checkFeedId(id), checkSecret(id, secret)));
        return new FeedCredentials(secrets);
    }

    /**
     * Load a properties file of {@code feed.ID=SECRET} lines.
     *
     * @param file the file.
     * @return the credentials.
     * @throws IOException when the file cannot be read.
     * @throws IllegalArgumentException naming a bad line.
     */
    public static FeedCredentials load(final Path file) throws IOException
    {
        if (!Files.isReadable(file))
        {
            throw new IllegalArgumentException("credentials file not readable: " + file);
        }
        final Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file))
        {
            props.load(in);
        }
        final Map<Integer, String> feedSecrets = new TreeMap<>();
        for (final String key : props.stringPropertyNames())
        {
            if (!key.startsWith(KEY_PREFIX))
            {
                throw new IllegalArgumentException(
                    "credentials file " + file + ": key '" + key + "' is not of the form feed.ID");
            }
            feedSecrets.put(parseFeedId(key.substring(KEY_PREFIX.length()), file.toString()), props.getProperty(key));
        }
        if (feedSecrets.isEmpty())
        {
            throw new IllegalArgumentException("credentials file " + file + " names no feed (expected feed.ID=SECRET)");
        }
        return of(feedSecrets);
    }

    /**
     * Parse the inline form {@code ID=SECRET,ID=SECRET}.
     *
     * @param text the text.
     * @return the credentials.
     */
    public static FeedCredentials parse(final String text)
    {
        final Map<Integer, String> feedSecrets = new TreeMap<>();
        for (final String entry : text.split(","))
        {
            final int eq = entry.indexOf('=');
            if (eq <= 0)
            {
                throw new IllegalArgumentException("credentials entry is not ID=SECRET: '" + entry.trim() + "'");
            }
            feedSecrets.put(parseFeedId(entry.substring(0, eq), ENV_INLINE), entry.substring(eq + 1));
        }
        return of(feedSecrets);
    }

    /**
     * Credentials from the environment or system properties: {@value #FILE_PROP}, then {@value #ENV_FILE}, then
     * {@value #ENV_INLINE}.
     *
     * @return the credentials, or null when none are configured.
     * @throws IOException when a named file cannot be read.
     */
    public static FeedCredentials fromEnvironment() throws IOException
    {
        final Path file = SecretSource.file(FILE_PROP, ENV_FILE);
        if (null != file)
        {
            return load(file);
        }
        final String inline = System.getenv(ENV_INLINE);
        if (null != inline && !inline.isBlank())
        {
            return parse(inline);
        }
        return null;
    }

    /**
     * Decide on the credentials a client presented.
     *
     * @param encodedCredentials {@code FEED_ID:SECRET} in UTF-8.
     * @return the feed id when they are valid, else -1.
     */
    public int authenticate(final byte[] encodedCredentials)
    {
        if (null == encodedCredentials || 0 == encodedCredentials.length)
        {
            return -1;
        }
        final String text = new String(encodedCredentials, StandardCharsets.UTF_8);
        final int colon = text.indexOf(':');
        if (colon <= 0)
        {
            return -1;
        }
        final int feedId;
        try
        {
            feedId = Integer.parseInt(text.substring(0, colon).trim());
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
        final byte[] expected = secrets.get(feedId);
        if (null == expected)
        {
            return -1;
        }
        final byte[] presented = text.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        return SecretSource.matches(expected, presented) ? feedId : -1;
    }

    /** @return how many feeds are configured. */
    public int feedCount()
    {
        return secrets.size();
    }

    /** @return the configured feed ids, never the secrets. */
    public String toString()
    {
        return "FeedCredentials{feeds=" + secrets.keySet() + "}";
    }

    private static int parseFeedId(final String text, final String source)
    {
        try
        {
            return SequencerProtocol.checkFeedId(Integer.parseInt(text.trim()));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(source + ": feed id is not a number: '" + text.trim() + "'");
        }
    }

    private static byte[] checkSecret(final int feedId, final String secret)
    {
        if (null == secret || secret.isBlank())
        {
            throw new IllegalArgumentException("feed " + feedId + " has an empty secret");
        }
        return secret.trim().getBytes(StandardCharsets.UTF_8);
    }
}
