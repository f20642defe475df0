package io.tickbus.archive.client;

/**
 * Receives the progress of a {@link DayReplayer}: called on the replaying thread at most every progress
 * interval and once at the end, so an implementation may draw a terminal progress bar.
 */
@FunctionalInterface
public interface ReplayProgress
{
    /**
     * @param messages messages republished so far.
     * @param bytesDone recorded bytes read so far.
     * @param bytesTotal recorded bytes the replay will read.
     * @param finished true on the last call.
     */
    void onProgress(long messages, long bytesDone, long bytesTotal, boolean finished);
}
