package io.tickbus.archive;

import io.aeron.archive.codecs.ArchiveIdRequestDecoder;
import io.aeron.archive.codecs.AuthConnectRequestDecoder;
import io.aeron.archive.codecs.BoundedReplayRequestDecoder;
import io.aeron.archive.codecs.ChallengeResponseDecoder;
import io.aeron.archive.codecs.CloseSessionRequestDecoder;
import io.aeron.archive.codecs.ConnectRequestDecoder;
import io.aeron.archive.codecs.FindLastMatchingRecordingRequestDecoder;
import io.aeron.archive.codecs.KeepAliveRequestDecoder;
import io.aeron.archive.codecs.ListRecordingRequestDecoder;
import io.aeron.archive.codecs.ListRecordingSubscriptionsRequestDecoder;
import io.aeron.archive.codecs.ListRecordingsForUriRequestDecoder;
import io.aeron.archive.codecs.ListRecordingsRequestDecoder;
import io.aeron.archive.codecs.MaxRecordedPositionRequestDecoder;
import io.aeron.archive.codecs.MessageHeaderDecoder;
import io.aeron.archive.codecs.RecordingPositionRequestDecoder;
import io.aeron.archive.codecs.ReplayRequestDecoder;
import io.aeron.archive.codecs.ReplayTokenRequestDecoder;
import io.aeron.archive.codecs.StartPositionRequestDecoder;
import io.aeron.archive.codecs.StopPositionRequestDecoder;
import io.aeron.archive.codecs.StopReplayRequestDecoder;
import io.aeron.security.AuthorisationService;
import io.aeron.security.AuthorisationServiceSupplier;
import org.agrona.collections.IntHashSet;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Archive control authorisation: a session authenticated with the control secret may make every request; a session
 * authenticated with the read-only secret ({@link ArchiveControlAuthenticator#READER_PRINCIPAL}) may list recordings,
 * ask for positions and replay, and nothing that changes what is recorded: starting or stopping recordings,
 * extending, truncating, purging, detaching, deleting or migrating segments, replication, updating channels and
 * stopping every replay are refused with Aeron's {@code UNAUTHORISED_ACTION} error and counted. The reader's list is
 * an allow list: a request type added to Aeron later is refused to readers until it is named here.
 * <p>
 * Threading: called on the archive conductor's thread only. Allocation: none after construction.
 */
public final class ArchiveControlAuthorisation implements AuthorisationService
{
    private static final IntHashSet READER_ACTIONS = new IntHashSet();

    static
    {
        READER_ACTIONS.add(ConnectRequestDecoder.TEMPLATE_ID);
        READER_ACTIONS.add(AuthConnectRequestDecoder.TEMPLATE_ID);
        READER_ACTIONS.add(ChallengeResponseDecoder.TEMPLATE_ID);
        READER_ACTIONS.add(KeepAliveRequestDecoder.TEMPLATE_ID);
        READER_ACTIONS.add(CloseSessionRequestDecoder.TEMPLATE_ID);
        READER_ACTIONS.add(ArchiveIdRequestDecoder.TEMPLATE_ID);
        READER_ACTIONS.add(ListRecordingsRequestDecoder.TEMPLATE_ID);
        READER_ACTIONS.add(ListRecordingsForUriRequestDecoder.TEMPLATE_ID);
        READER_ACTIONS.add(ListRecordingRequestDecoder.TEMPLATE_ID);
        READER_ACTIONS.add(ListRecordingSubscriptionsRequestDecoder.TEMPLATE_ID);
        READER_ACTIONS.add(FindLastMatchingRecordingRequestDecoder.TEMPLATE_ID);
        READER_ACTIONS.add(RecordingPositionRequestDecoder.TEMPLATE_ID);
        READER_ACTIONS.add(StartPositionRequestDecoder.TEMPLATE_ID);
        READER_ACTIONS.add(StopPositionRequestDecoder.TEMPLATE_ID);
        READER_ACTIONS.add(MaxRecordedPositionRequestDecoder.TEMPLATE_ID);
        READER_ACTIONS.add(ReplayRequestDecoder.TEMPLATE_ID);
        READER_ACTIONS.add(BoundedReplayRequestDecoder.TEMPLATE_ID);
        READER_ACTIONS.add(ReplayTokenRequestDecoder.TEMPLATE_ID);
        READER_ACTIONS.add(StopReplayRequestDecoder.TEMPLATE_ID);
    }

    private final AtomicCounter deniedCounter;

    /**
     * @param deniedCounter counts refused requests, may be null.
     */
    public ArchiveControlAuthorisation(final AtomicCounter deniedCounter)
    {
        this.deniedCounter = deniedCounter;
    }

    /**
     * @param deniedCounter counts refused requests, may be null.
     * @return a supplier for {@code Archive.Context.authorisationServiceSupplier}.
     */
    public static AuthorisationServiceSupplier supplier(final AtomicCounter deniedCounter)
    {
        return () -> new ArchiveControlAuthorisation(deniedCounter);
    }

    /**
     * @param templateId an archive control request's template id.
     * @return true when a read-only session may make it.
     */
    public static boolean isReaderAction(final int templateId)
    {
        return READER_ACTIONS.contains(templateId);
    }

    /** {@inheritDoc} */
    public boolean isAuthorised(
        final int protocolId, final int actionId, final Object type, final byte[] encodedPrincipal)
    {
        if (!ArchiveControlAuthenticator.isReader(encodedPrincipal))
        {
            return true;
        }
        if (MessageHeaderDecoder.SCHEMA_ID == protocolId && isReaderAction(actionId))
        {
            return true;
        }
        if (null != deniedCounter)
        {
            deniedCounter.incrementRelease();
        }
        return false;
    }
}
