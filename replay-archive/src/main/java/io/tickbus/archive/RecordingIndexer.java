package io.tickbus.archive;

import io.aeron.Aeron;
import io.aeron.ChannelUri;
import io.aeron.FragmentAssembler;
import io.aeron.Image;
import io.aeron.Subscription;
import io.aeron.archive.client.AeronArchive;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.tickbus.client.CommonBlock;
import io.tickbus.sbe.EndOfSessionDecoder;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;

/**
 * Follows one recording through a replay from the archive (from its start, or from where the catalog left off)
 * and feeds the {@link DayCatalog}: splits it into trading days, counts messages, tracks exchange times and
 * writes the {@link TimeIndex} with positions taken from the replayed frames' headers.
 * <p>
 * A replay of the recording, rather than a second live subscription, keeps the indexer off the live stream:
 * a slow indexer can never back-pressure a publisher.
 * <p>
 * Threading: the catalog agent's thread only. Allocation: a new {@link DaySegment} when a day begins.
 */
final class RecordingIndexer implements FragmentHandler
{
    private static final String REPLAY_CHANNEL = "aeron:ipc";
    private static final int TEMPLATE_END_OF_SESSION = EndOfSessionDecoder.TEMPLATE_ID;
    private static final int END_OF_REPLAY_OFFSET = CommonBlock.OFFSET + EndOfSessionDecoder.endOfReplayEncodingOffset();
    private static final int TRADING_DATE_OFFSET = CommonBlock.OFFSET + EndOfSessionDecoder.tradingDateEncodingOffset();
    private static final int MIN_EOS_LENGTH = CommonBlock.OFFSET + EndOfSessionDecoder.BLOCK_LENGTH;

    private final long recordingId;
    private final int streamId;
    private final int sessionId;
    private final String channel;
    private final long recordingStartTime;
    private final DayCatalog catalog;
    private final TradingDayRule dayRule;
    private final FragmentAssembler assembler = new FragmentAssembler(this);
    private final ArchiveCounters counters;

    private DaySegment current;
    private long lastEndPosition;
    private long lastExchangeTime;
    private long replaySessionId = Aeron.NULL_VALUE;
    private Subscription subscription;
    private Image image;

    RecordingIndexer(
        final long recordingId,
        final int streamId,
        final int sessionId,
        final String channel,
        final long recordingStartTime,
        final long startPosition,
        final DayCatalog catalog,
        final ArchiveCounters counters)
    {
        this.recordingId = recordingId;
        this.streamId = streamId;
        this.sessionId = sessionId;
        this.channel = channel;
        this.recordingStartTime = recordingStartTime;
        this.catalog = catalog;
        this.dayRule = catalog.dayRule();
        this.counters = counters;

        catalog.recordingStarted(recordingId, recordingStartTime);
        final DaySegment last = catalog.lastSegmentOf(recordingId);
        if (null != last)
        {
            lastEndPosition = last.stopPosition;
            lastExchangeTime = last.lastExchangeTime;
            last.index.truncateFrom(last.stopPosition);
            current = last.closed ? null : last;
        }
        else
        {
            lastEndPosition = startPosition;
        }
    }

    long recordingId()
    {
        return recordingId;
    }

    long indexedPosition()
    {
        return lastEndPosition;
    }

    /**
     * Start (or restart) the following replay when none is running and the recording holds more than is indexed.
     * A recording that has stopped is never given up on: Aeron can extend it later ({@code extendRecording}), and a
     * replicated recording is created stopped (stop = start) before its replication turns it active, so each
     * discovery round looks again at the stop position the archive reports.
     *
     * @param archive the agent's archive client.
     * @param aeron the Aeron client.
     * @param replayStreamId stream id for replays to the indexer.
     * @param stopPosition the recording's stop position, or {@link AeronArchive#NULL_POSITION} while active.
     * @return true when a replay was started.
     */
    boolean startIfIdle(final AeronArchive archive, final Aeron aeron, final int replayStreamId, final long stopPosition)
    {
        if (null != subscription || (AeronArchive.NULL_POSITION != stopPosition && lastEndPosition >= stopPosition))
        {
            return false;
        }
        replaySessionId = archive.startReplay(
            recordingId, lastEndPosition, AeronArchive.REPLAY_ALL_AND_FOLLOW, REPLAY_CHANNEL, replayStreamId);
        subscription = aeron.addSubscription(
            ChannelUri.addSessionId(REPLAY_CHANNEL, (int)replaySessionId), replayStreamId);
        image = null;
        return true;
    }

    /**
     * @param fragmentLimit most fragments.
     * @return fragments read.
     */
    int poll(final int fragmentLimit)
    {
        if (null == subscription)
        {
            return 0;
        }
        if (null == image)
        {
            image = subscription.imageBySessionId((int)replaySessionId);
            if (null == image)
            {
                return 0;
            }
        }
        final int fragments = image.poll(assembler, fragmentLimit);
        if (0 == fragments && (image.isEndOfStream() || image.isClosed()))
        {
            stopReplay(null);
        }
        return fragments;
    }

    /**
     * Close the replay subscription (and ask the archive to stop the replay when one is given).
     *
     * @param archive the archive client, or null when the replay ended by itself.
     */
    void stopReplay(final AeronArchive archive)
    {
        if (null != subscription)
        {
            if (null != archive && null != image && !image.isClosed() && !image.isEndOfStream())
            {
                try
                {
                    archive.stopReplay(replaySessionId);
                }
                catch (final RuntimeException ignore)
                {
                    // the replay may have ended between the check and the request
                }
            }
            CloseHelper.close(subscription);
            subscription = null;
            image = null;
        }
    }

    public void onFragment(final DirectBuffer buffer, final int offset, final int length, final Header header)
    {
        final long frameStart = lastEndPosition;
        final long frameEnd = header.position();
        lastEndPosition = frameEnd;
        if (!CommonBlock.isTickbusMessage(buffer, offset, length))
        {
            io.tickbus.client.OpenCounters.increment(counters.foreignMessages);
            if (null != current)
            {
                current.stopPosition = frameEnd;
                current.dirty = true;
            }
            return;
        }

        long exchangeTime = CommonBlock.exchangeTime(buffer, offset);
        if (exchangeTime <= 0)
        {
            exchangeTime = lastExchangeTime;
        }
        lastExchangeTime = exchangeTime;
        final long epochDay = exchangeTime > 0 ? dayRule.epochDay(exchangeTime) :
            (null != current ? current.epochDay : dayRule.epochDay(System.currentTimeMillis() * 1_000_000L));

        if (null == current || current.closed || current.epochDay != epochDay)
        {
            if (null != current && !current.closed && current.messages == 0)
            {
                current.epochDay = epochDay;
            }
            else
            {
                current = catalog.newSegment(
                    epochDay, streamId, recordingId, sessionId, channel, recordingStartTime, frameStart);
                io.tickbus.client.OpenCounters.increment(counters.segments);
            }
        }
        current.onMessage(exchangeTime, CommonBlock.globalSeq(buffer, offset), frameStart, frameEnd);
        io.tickbus.client.OpenCounters.increment(counters.indexedMessages);

        final int templateId = CommonBlock.templateId(buffer, offset);
        if (TEMPLATE_END_OF_SESSION == templateId && length >= MIN_EOS_LENGTH &&
            0 == (buffer.getByte(offset + END_OF_REPLAY_OFFSET) & 0xFF))
        {
            final long announcedDay = TradingDayRule.epochDayOfYyyymmdd(
                buffer.getInt(offset + TRADING_DATE_OFFSET, EndOfSessionDecoder.BYTE_ORDER));
            if (announcedDay >= 0)
            {
                current.epochDay = announcedDay;
            }
            current.closed = true;
        }
    }
}
