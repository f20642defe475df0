package io.tickbus.archive;

import io.aeron.security.Authenticator;
import io.aeron.security.AuthenticatorSupplier;
import io.aeron.security.CredentialsSupplier;
import io.aeron.security.SessionProxy;
import io.tickbus.driver.SecretSource;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.status.AtomicCounter;

import java.nio.charset.StandardCharsets;

/**
 * Archive control authentication: every control session (IPC or UDP) must present the archive's control secret,
 * compared in constant time; a session without it, or with another, is rejected and the client's connect fails
 * with an {@link io.aeron.archive.client.ArchiveException} ("authentication rejected"). The secret comes from
 * {@link TickbusArchive.Configuration#controlSecretFromEnvironment()}, the same source for the archive and for its
 * local clients ({@link TickbusArchive#connectLocal(io.aeron.Aeron)}, the catalog agent, {@code tickbus replay}).
 * <p>
 * Threading: called on the archive conductor's thread only. Allocates per connect request, never per message.
 */
public final class ArchiveControlAuthenticator implements Authenticator
{
    private static final byte[] PRINCIPAL = "tickbus-archive-client".getBytes(StandardCharsets.US_ASCII);

    private final byte[] secret;
    private final AtomicCounter rejectedCounter;
    private final LongHashSet accepted = new LongHashSet();
    private final LongHashSet rejected = new LongHashSet();

    /**
     * @param secret the control secret.
     * @param rejectedCounter counts rejected sessions, may be null.
     */
    public ArchiveControlAuthenticator(final String secret, final AtomicCounter rejectedCounter)
    {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.rejectedCounter = rejectedCounter;
    }

    /**
     * @param secret the control secret.
     * @param rejectedCounter counts rejected sessions, may be null.
     * @return a supplier for {@code Archive.Context.authenticatorSupplier}.
     */
    public static AuthenticatorSupplier supplier(final String secret, final AtomicCounter rejectedCounter)
    {
        return () -> new ArchiveControlAuthenticator(secret, rejectedCounter);
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
        else if (accepted.contains(sessionId) && sessionProxy.authenticate(PRINCIPAL))
        {
            accepted.remove(sessionId);
        }
    }
}
