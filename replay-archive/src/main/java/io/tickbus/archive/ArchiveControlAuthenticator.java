package io.tickbus.archive;

import io.aeron.security.Authenticator;
import io.aeron.security.AuthenticatorSupplier;
import io.aeron.security.CredentialsSupplier;
import io.aeron.security.SessionProxy;
import io.tickbus.client.SecretSource;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.status.AtomicCounter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Archive control authentication: every control session (IPC or UDP) must present the archive's control secret or,
 * when one is configured, its read-only secret, compared in constant time; a session without either, or with
 * another, is rejected and the client's connect fails with an {@link io.aeron.archive.client.ArchiveException}
 * ("authentication rejected"). The control secret authenticates the session as {@link #CONTROL_PRINCIPAL} (every
 * request), the read-only secret as {@link #READER_PRINCIPAL}, which {@link ArchiveControlAuthorisation} limits to
 * listing and replaying. The secrets come from {@link TickbusArchive.Configuration}: the same source for the archive
 * and for its local clients ({@link TickbusArchive#connectLocal(io.aeron.Aeron)}, the catalog agent,
 * {@code tickbus replay}).
 * <p>
 * Threading: called on the archive conductor's thread only. Allocates per connect request, never per message.
 */
public final class ArchiveControlAuthenticator implements Authenticator
{
    /** Principal of a session that presented the control secret: every archive request. */
    public static final String CONTROL_PRINCIPAL = "tickbus-archive-client";
    /** Principal of a session that presented the read-only secret: list and replay only. */
    public static final String READER_PRINCIPAL = "tickbus-archive-reader";

    private static final byte[] CONTROL = CONTROL_PRINCIPAL.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] READER = READER_PRINCIPAL.getBytes(StandardCharsets.US_ASCII);

    private final byte[] secret;
    private final byte[] readerSecret;
    private final AtomicCounter rejectedCounter;
    private final LongHashSet accepted = new LongHashSet();
    private final LongHashSet acceptedReaders = new LongHashSet();
    private final LongHashSet rejected = new LongHashSet();

    /**
     * @param secret the control secret.
     * @param readerSecret the read-only secret, or null for none.
     * @param rejectedCounter counts rejected sessions, may be null.
     */
    public ArchiveControlAuthenticator(
        final String secret, final String readerSecret, final AtomicCounter rejectedCounter)
    {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.readerSecret = null == readerSecret ? null : readerSecret.getBytes(StandardCharsets.UTF_8);
        this.rejectedCounter = rejectedCounter;
    }

    /**
     * @param secret the control secret.
     * @param readerSecret the read-only secret, or null for none.
     * @param rejectedCounter counts rejected sessions, may be null.
     * @return a supplier for {@code Archive.Context.authenticatorSupplier}.
     */
    public static AuthenticatorSupplier supplier(
        final String secret, final String readerSecret, final AtomicCounter rejectedCounter)
    {
        return () -> new ArchiveControlAuthenticator(secret, readerSecret, rejectedCounter);
    }

    /**
     * @param encodedPrincipal a session's principal, as the archive hands it to its authorisation service.
     * @return true when it is the read-only principal.
     */
    static boolean isReader(final byte[] encodedPrincipal)
    {
        return Arrays.equals(READER, encodedPrincipal);
    }

    /**
     * @param secret the control secret, or null for none.
     * @return credentials for {@code AeronArchive.Context.credentialsSupplier}: the secret in UTF-8, or nothing.
     */
    public static CredentialsSupplier credentials(final String secret)
    {
        final byte[] encoded = null == secret ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
        return new CredentialsSupplier()
        {
            public byte[] encodedCredentials()
            {
                return encoded;
            }

            public byte[] onChallenge(final byte[] encodedChallenge)
            {
                return encoded;
            }
        };
    }

    /** {@inheritDoc} */
    public void onConnectRequest(final long sessionId, final byte[] encodedCredentials, final long nowMs)
    {
        if (SecretSource.matches(secret, encodedCredentials))
        {
            accepted.add(sessionId);
        }
        else if (null != readerSecret && SecretSource.matches(readerSecret, encodedCredentials))
        {
            acceptedReaders.add(sessionId);
        }
        else
        {
            rejected.add(sessionId);
        }
    }

    /** {@inheritDoc} */
    public void onChallengeResponse(final long sessionId, final byte[] encodedCredentials, final long nowMs)
    {
        onConnectRequest(sessionId, encodedCredentials, nowMs);
    }

    /** {@inheritDoc} */
    public void onConnectedSession(final SessionProxy sessionProxy, final long nowMs)
    {
        decide(sessionProxy);
    }

    /** {@inheritDoc} */
    public void onChallengedSession(final SessionProxy sessionProxy, final long nowMs)
    {
        decide(sessionProxy);
    }

    private void decide(final SessionProxy sessionProxy)
    {
        final long sessionId = sessionProxy.sessionId();
        if (rejected.remove(sessionId))
        {
            sessionProxy.reject();
            if (null != rejectedCounter)
            {
                rejectedCounter.incrementRelease();
            }
        }
        else if (accepted.contains(sessionId) && sessionProxy.authenticate(CONTROL))
        {
            accepted.remove(sessionId);
        }
        else if (acceptedReaders.contains(sessionId) && sessionProxy.authenticate(READER))
        {
            acceptedReaders.remove(sessionId);
        }
    }
}
