package io.tickbus.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Where Tickbus components take secrets from (cluster feed credentials, a feed's secret, the archive control
 * secret): a file named by a system property or an environment variable, else an environment variable holding the
 * value inline; never a command-line argument, which every user sees in {@code ps}. Shared by the sequencer and the
 * archive so both read secrets the same way.
 * <p>
 * Threading: any. Allocation: per call (start-up and connect only).
 */
public final class SecretSource
{
    private SecretSource()
    {
    }

    /**
     * The file named by a system property, else by an environment variable.
     *
     * @param fileProperty system property naming the file.
     * @param fileEnv environment variable naming the file.
     * @return the file, or null when neither is set.
     */
    public static Path file(final String fileProperty, final String fileEnv)
    {
        final String file = System.getProperty(fileProperty, System.getenv(fileEnv));
        return null == file || file.isBlank() ? null : Path.of(file.trim());
    }

    /**
     * A secret from a file named by {@code fileProperty} or {@code fileEnv} (in that order), else from the
     * environment variable {@code inlineEnv}.
     *
     * @param fileProperty system property naming the file.
     * @param fileEnv environment variable naming the file.
     * @param inlineEnv environment variable holding the value.
     * @return the value, trimmed, or null when none of them is set.
     * @throws IllegalArgumentException when a named file cannot be read or is empty.
     */
    public static String read(final String fileProperty, final String fileEnv, final String inlineEnv)
    {
        final Path file = file(fileProperty, fileEnv);
        if (null != file)
        {
            return readFile(file);
        }
        final String inline = System.getenv(inlineEnv);
        return null == inline || inline.isBlank() ? null : inline.trim();
    }

    /**
     * @param file a file holding a secret.
     * @return its content, trimmed.
     * @throws IllegalArgumentException when it cannot be read or is empty.
     */
    public static String readFile(final Path file)
    {
        final String text;
        try
        {
            text = Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("secret file not readable: " + file);
        }
        if (text.isEmpty())
        {
            throw new IllegalArgumentException("secret file is empty: " + file);
        }
        return text;
    }

    /**
     * Compare a presented secret with the expected one in time independent of where they differ.
     *
     * @param expected the configured secret.
     * @param presented what a client sent, may be null.
     * @return true when equal.
     */
    public static boolean matches(final byte[] expected, final byte[] presented)
    {
        return null != presented && MessageDigest.isEqual(expected, presented);
    }
}
