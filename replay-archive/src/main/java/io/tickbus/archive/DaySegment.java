package io.tickbus.archive;

import java.time.LocalDate;

/**
 * The part of one Aeron recording that belongs to one trading day: recording id, start / stop positions,
 * first / last exchange times, first / last global sequences, message count and the time index. A day of a
 * stream is one or more segments (several when the publisher restarted during the day and Aeron began a new
 * recording, or when several sequencer members' publications of one sequenced stream were recorded at once).
 * The catalog keeps them in recording order: by the recording's start time, then start position, then id.
 * <p>
 * Mutated only by the catalog agent's thread; other threads read copies loaded from the catalog file.
 */
public final class DaySegment
{
    long epochDay;
    final int streamId;
    final long recordingId;
    final int sessionId;
    final String channel;
    final long startPosition;
    long recordingStartTime;
    long firstGlobalSeq;
    long lastGlobalSeq;
    long stopPosition;
    long firstExchangeTime;
    long lastExchangeTime;
    long messages;
    boolean closed;
    boolean dirty;
    final TimeIndex index;

    DaySegment(
        final long epochDay,
        final int streamId,
        final long recordingId,
        final int sessionId,
        final String channel,
        final long startPosition,
        final TimeIndex index)
    {
        this.epochDay = epochDay;
        this.streamId = streamId;
        this.recordingId = recordingId;
        this.sessionId = sessionId;
        this.channel = channel;
        this.startPosition = startPosition;
        this.stopPosition = startPosition;
        this.index = index;
    }

    void onMessage(final long exchangeTime, final long globalSeq, final long frameStart, final long frameEnd)
    {
        if (globalSeq > 0)
        {
            if (0 == firstGlobalSeq)
            {
                firstGlobalSeq = globalSeq;
            }
            if (globalSeq > lastGlobalSeq)
            {
                lastGlobalSeq = globalSeq;
            }
            index.onSequenced(globalSeq, frameStart);
        }
        if (0 == messages)
        {
            firstExchangeTime = exchangeTime;
        }
        if (exchangeTime > lastExchangeTime)
        {
            lastExchangeTime = exchangeTime;
        }
        messages++;
        stopPosition = frameEnd;
        index.onMessage(exchangeTime, frameStart);
        dirty = true;
    }

    /** @return the trading day. */
    public LocalDate day()
    {
        return LocalDate.ofEpochDay(epochDay);
    }

    /** @return the trading day as days since 1970-01-01. */
    public long epochDay()
    {
        return epochDay;
    }

    /** @return the recorded stream id. */
    public int streamId()
    {
        return streamId;
    }

    /** @return the Aeron Archive recording id. */
    public long recordingId()
    {
        return recordingId;
    }

    /** @return the session id of the recorded publication. */
    public int sessionId()
    {
        return sessionId;
    }

    /** @return the recorded channel (as the archive reports it). */
    public String channel()
    {
        return channel;
    }

    /** @return position of the first frame of the segment. */
    public long startPosition()
    {
        return startPosition;
    }

    /** @return the recording's start time as the archive reports it (epoch ms), 0 when not known. */
    public long recordingStartTime()
    {
        return recordingStartTime;
    }

    /** @return the first global sequence in the segment, 0 when it holds no sequenced message. */
    public long firstGlobalSeq()
    {
        return firstGlobalSeq;
    }

    /** @return the highest global sequence in the segment, 0 when it holds no sequenced message. */
    public long lastGlobalSeq()
    {
        return lastGlobalSeq;
    }

    /** @return position just after the last indexed message of the segment. */
    public long stopPosition()
    {
        return stopPosition;
    }

    /** @return bytes recorded in the segment. */
    public long bytes()
    {
        return stopPosition - startPosition;
    }

    /** @return exchange time of the first message, epoch ns (0 when empty). */
    public long firstExchangeTime()
    {
        return firstExchangeTime;
    }

    /** @return the latest exchange time seen, epoch ns (0 when empty). */
    public long lastExchangeTime()
    {
        return lastExchangeTime;
    }

    /** @return Tickbus messages in the segment. */
    public long messages()
    {
        return messages;
    }

    /** @return true when the segment ended with an EndOfSession message. */
    public boolean isClosed()
    {
        return closed;
    }

    /** @return the time index. */
    public TimeIndex index()
    {
        return index;
    }

    String indexFileName()
    {
        return "rec-" + recordingId + "-" + startPosition + ".tidx";
    }

    public String toString()
    {
        return "DaySegment{day=" + day() + ", stream=" + streamId + ", recordingId=" + recordingId +
            ", started=" + recordingStartTime + ", positions=" + startPosition + ".." + stopPosition +
            ", globalSeqs=" + firstGlobalSeq + ".." + lastGlobalSeq + ", messages=" + messages + "}";
    }
}
