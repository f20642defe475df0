package io.tickbus.sequencer;

import io.aeron.security.Authenticator;
import io.aeron.security.AuthenticatorSupplier;
import io.aeron.security.SessionProxy;
import io.tickbus.sequencer.client.SequencerProtocol;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Cluster ingress authentication: a client connects with {@code FEED_ID:SECRET} credentials, checked against
 * {@link FeedCredentials}; it is authenticated with its feed id as principal (the service then accepts only
 * messages of that feed from the session) or rejected, which the client sees as an
 * {@link io.aeron.security.AuthenticationException}. With no credentials configured every client is accepted with
 * the principal {@link SequencerProtocol#ANY_FEED} (the embedded demo).
 * <p>
 * Threading: called on the consensus module's thread only. Allocates per connect request, not per message.
 */
public final class FeedAuthenticator implements Authenticator
{
    private static final long REJECTED = -2;

    private final FeedCredentials credentials;
    private final AtomicCounter rejectedCounter;
    private final Long2LongHashMap feedBySession = new Long2LongHashMap(Long.MIN_VALUE);

    /**
     * @param credentials the allowed feeds, or null to accept every client.
     * @param rejectedCounter counts rejections, may be null.
     */
    public FeedAuthenticator(final FeedCredentials credentials, final AtomicCounter rejectedCounter)
    {
        this.credentials = credentials;
        this.rejectedCounter = rejectedCounter;
    }

    /**
     * @param credentials the allowed feeds, or null to accept every client.
     * @param rejectedCounter counts rejections, may be null.
     * @return a supplier for {@code ConsensusModule.Context.authenticatorSupplier}.
     */
    public static AuthenticatorSupplier supplier(final FeedCredentials credentials, final AtomicCounter rejectedCounter)
    {
        return () -> new FeedAuthenticator(credentials, rejectedCounter);
    }

    /** {@inheritDoc} */
    public void onConnectRequest(final long sessionId, final byte[] encodedCredentials, final long nowMs)
    {
        final long feedId = null == credentials ? SequencerProtocol.ANY_FEED :
            credentials.authenticate(encodedCredentials);
        feedBySession.put(sessionId, feedId < 0 && null != credentials ? REJECTED : feedId);
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
        final long feedId = feedBySession.get(sessionId);
        if (Long.MIN_VALUE == feedId)
        {
            return;
        }
        if (REJECTED == feedId)
        {
            sessionProxy.reject();
            feedBySession.remove(sessionId);
            if (null != rejectedCounter)
            {
                rejectedCounter.incrementRelease();
            }
        }
        else if (sessionProxy.authenticate(
            SequencerProtocol.ANY_FEED == feedId ? new byte[0] : SequencerProtocol.encodePrincipal((int)feedId)))
        {
            feedBySession.remove(sessionId);
        }
    }
}
