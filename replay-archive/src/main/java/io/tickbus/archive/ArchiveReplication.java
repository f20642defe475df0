package io.tickbus.archive;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.ChannelUriStringBuilder;
import io.aeron.CommonContext;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ArchiveException;
import io.aeron.archive.client.ReplicationParams;
import io.tickbus.client.BusChannels;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Replication into a Tickbus archive from another host's: finds the source's newest recording of a stream through
 * the source's UDP control channel, then asks this archive to replicate it (Aeron Archive replication), following
 * it while it grows and, with a live destination, merging onto the live stream.
 * <p>
 * Threading: any thread; the archive's control client is shared with {@link TickbusArchive#record(String, int)}
 * and guarded by its monitor. Allocation: a control client to the source per request.
 */
final class ArchiveReplication
{
    private final Aeron aeron;
    private final AeronArchive control;
    private final String replicationChannel;
    private final String sourceControlSecret;
    private final Supplier<IdleStrategy> idleStrategySupplier;

    /**
     * @param aeron the archive's Aeron client.
     * @param control the archive's control client, shared: every use holds its monitor.
     * @param replicationChannel where this archive receives replicated recordings, {@code aeron:udp?endpoint=
     * HOST:PORT}.
     * @param sourceControlSecret the source archive's control secret, or null.
     * @param idleStrategySupplier idle strategies for the client to the source.
     */
    ArchiveReplication(
        final Aeron aeron,
        final AeronArchive control,
        final String replicationChannel,
        final String sourceControlSecret,
        final Supplier<IdleStrategy> idleStrategySupplier)
    {
        this.aeron = aeron;
        this.control = control;
        this.replicationChannel = replicationChannel;
        this.sourceControlSecret = sourceControlSecret;
        this.idleStrategySupplier = idleStrategySupplier;
    }

    /**
     * Replicate a stream's recording from a source archive (another host's {@code tickbus archive}, reached on its
     * UDP control channel) into a new recording here, and keep following it: Aeron Archive replication. The source's
     * newest recording of the stream is taken (waiting for one to exist); while it is active the replication
     * follows it as it grows, and with a live destination merges onto the live stream and records that itself.
     * The source sends to this archive's replication channel and answers control requests on the same host (an
     * ephemeral port); credentials are {@link TickbusArchive.Context#sourceControlSecret(String)}. The day catalog
     * indexes the replicated recording like any other.
     *
     * @param srcControlChannel the source archive's UDP control channel, e.g. {@code aeron:udp?endpoint=HOST:PORT}.
     * @param streamId the recorded stream id.
     * @param liveDestination channel to merge onto the live stream (e.g. the multicast group with this host's
     * interface), or null to follow the source's recording by replay only.
     * @param timeoutMs most time to wait for the source to answer and to hold a recording of the stream.
     * @return the replication id (for {@code stopReplication}).
     * @throws IllegalArgumentException for an invalid channel.
     * @throws IllegalStateException when the source cannot be reached, refuses, or has no recording in time.
     */
    public long replicate(
        final String srcControlChannel, final int streamId, final String liveDestination, final long timeoutMs)
    {
        BusChannels.validate(srcControlChannel);
        if (null != liveDestination)
        {
            BusChannels.validate(liveDestination);
        }
        final long srcRecordingId = awaitSourceRecording(srcControlChannel, streamId, timeoutMs);
        final ReplicationParams params = new ReplicationParams()
            .replicationChannel(replicationChannel)
            .srcResponseChannel(replicationResponseChannel())
            .liveDestination(liveDestination);
        if (null != sourceControlSecret)
        {
            params.encodedCredentials(
                ArchiveControlAuthenticator.credentials(sourceControlSecret).encodedCredentials());
        }
        synchronized (control)
        {
            try
            {
                return control.replicate(
                    srcRecordingId, TickbusArchive.Configuration.CONTROL_STREAM_ID, srcControlChannel, params);
            }
            catch (final ArchiveException ex)
            {
                throw new IllegalStateException("cannot replicate recording " + srcRecordingId + " of stream " +
                    streamId + " from " + srcControlChannel + ": " + ex.getMessage(), ex);
            }
        }
    }

    private long awaitSourceRecording(final String srcControlChannel, final int streamId, final long timeoutMs)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        final AeronArchive.Context clientCtx = ArchiveClientContexts.remote(
            aeron,
            srcControlChannel,
            replicationResponseChannel(),
            sourceControlSecret,
            TimeUnit.MILLISECONDS.toNanos(Math.max(1_000, Math.min(timeoutMs, 10_000))),
            idleStrategySupplier.get());
        try (AeronArchive source = AeronArchive.connect(clientCtx))
        {
            final long[] newest = {Aeron.NULL_VALUE};
            while (true)
            {
                source.listRecordingsForUri(0, Integer.MAX_VALUE, "", streamId, (controlSessionId, correlationId,
                    recordingId, startTimestamp, stopTimestamp, startPosition, stopPosition, initialTermId,
                    segmentFileLength, termBufferLength, mtuLength, sessionId, id, strippedChannel, originalChannel,
                    sourceIdentity) -> newest[0] = Math.max(newest[0], recordingId));
                if (Aeron.NULL_VALUE != newest[0])
                {
                    return newest[0];
                }
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("source archive " + srcControlChannel +
                        " has no recording of stream " + streamId + " after " + timeoutMs + " ms");
                }
                Thread.sleep(100);
            }
        }
        catch (final ArchiveException | io.aeron.exceptions.TimeoutException ex)
        {
            throw new IllegalStateException("cannot reach source archive " + srcControlChannel + ": " +
                ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for source archive " + srcControlChannel, ex);
        }
    }

    /** The source answers this archive's control requests on its replication host, on an ephemeral port. */
    private String replicationResponseChannel()
    {
        final String endpoint = ChannelUri.parse(replicationChannel).get(CommonContext.ENDPOINT_PARAM_NAME);
        final int colon = endpoint.lastIndexOf(':');
        return new ChannelUriStringBuilder().media("udp").endpoint(endpoint.substring(0, colon) + ":0").build();
    }
}
