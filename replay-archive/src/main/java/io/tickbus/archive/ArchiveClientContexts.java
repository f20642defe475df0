package io.tickbus.archive;

import io.aeron.Aeron;
import io.aeron.archive.client.AeronArchive;
import org.agrona.concurrent.IdleStrategy;

/**
 * The archive client contexts a Tickbus archive and its local clients use: one to this host's archive over IPC
 * ({@link #local}), one to another host's archive over UDP ({@link #remote}, a replication source). Both present the
 * control secret through {@link ArchiveControlAuthenticator#credentials(String)} when one is given, and answer on a
 * response stream id of their own ({@link #responseStreamId(Aeron)}) so several clients of one Aeron client never
 * share responses.
 * <p>
 * Stateless. Allocation: a context per call (at connect time, never on a hot path).
 */
final class ArchiveClientContexts
{
    /** Lowest response stream id a Tickbus archive client answers on. */
    static final int RESPONSE_STREAM_ID_BASE = 20;
    private static final int RESPONSE_STREAM_ID_MASK = 0x3FF;

    private ArchiveClientContexts()
    {
    }

    /**
     * A client of the archive on this host's driver, over IPC, on the archive's local control stream.
     *
     * @param aeron the Aeron client (not owned by the archive client).
     * @param secret the archive control secret, or null to present none.
     * @param idleStrategy what the client does while it waits for a response.
     * @return the context, not connected.
     */
    static AeronArchive.Context local(final Aeron aeron, final String secret, final IdleStrategy idleStrategy)
    {
        return withSecret(new AeronArchive.Context()
            .aeron(aeron)
            .ownsAeronClient(false)
            .controlRequestChannel("aeron:ipc")
            .controlRequestStreamId(TickbusArchive.Configuration.LOCAL_CONTROL_STREAM_ID)
            .controlResponseChannel("aeron:ipc")
            .controlResponseStreamId(responseStreamId(aeron))
            .idleStrategy(idleStrategy), secret);
    }

    /**
     * A client of another host's Tickbus archive, on its UDP control channel and stream.
     *
     * @param aeron the Aeron client (not owned by the archive client).
     * @param controlChannel the remote archive's UDP control channel.
     * @param responseChannel where the remote archive answers (this host's address).
     * @param secret the remote archive's control secret, or null to present none.
     * @param messageTimeoutNs how long to wait for each response.
     * @param idleStrategy what the client does while it waits for a response.
     * @return the context, not connected.
     */
    static AeronArchive.Context remote(
        final Aeron aeron,
        final String controlChannel,
        final String responseChannel,
        final String secret,
        final long messageTimeoutNs,
        final IdleStrategy idleStrategy)
    {
        return withSecret(new AeronArchive.Context()
            .aeron(aeron)
            .ownsAeronClient(false)
            .controlRequestChannel(controlChannel)
            .controlRequestStreamId(TickbusArchive.Configuration.CONTROL_STREAM_ID)
            .controlResponseChannel(responseChannel)
            .controlResponseStreamId(responseStreamId(aeron))
            .messageTimeoutNs(messageTimeoutNs)
            .idleStrategy(idleStrategy), secret);
    }

    /**
     * @param aeron the Aeron client the archive client will use.
     * @return a response stream id in {@code [20, 20 + 1023]}, taken from the client's correlation ids so that the
     * archive clients of one Aeron client (the archive's own two, a replication source's) differ.
     */
    static int responseStreamId(final Aeron aeron)
    {
        return RESPONSE_STREAM_ID_BASE + (int)(aeron.nextCorrelationId() & RESPONSE_STREAM_ID_MASK);
    }

    private static AeronArchive.Context withSecret(final AeronArchive.Context clientCtx, final String secret)
    {
        if (null != secret)
        {
            clientCtx.credentialsSupplier(ArchiveControlAuthenticator.credentials(secret));
        }
        return clientCtx;
    }
}
