package io.tickbus.sequencer;

import io.aeron.archive.ArchiveMarkFile;
import io.aeron.cluster.service.ClusterMarkFile;
import org.agrona.concurrent.EpochClock;

import java.io.File;

/**
 * Whether a member's directory still holds a live-looking mark file (Aeron Cluster's consensus module and service
 * mark files, Aeron Archive's): a member that crashed leaves them with a recent activity timestamp until their
 * liveness timeout passes, and a new instance cannot start before then. {@link SequencerNode#launch} asks this
 * (a typed check on the files, not a match on an exception's text) to decide whether to wait.
 * <p>
 * Threading: any. Allocation: maps each mark file briefly.
 */
final class MemberMarkFiles
{
    /** Most time to wait for a mark file that is being created to show its header. */
    private static final long MAP_TIMEOUT_MS = 100;

    private MemberMarkFiles()
    {
    }

    /**
     * @param baseDir the member's base directory (its {@code cluster} and {@code archive} directories are looked at).
     * @param clock epoch clock.
     * @param activeWithinMs a mark file whose activity timestamp is this recent counts as live.
     * @return true when one of the member's mark files looks live (or is still being created).
     */
    static boolean anyActive(final File baseDir, final EpochClock clock, final long activeWithinMs)
    {
        final long nowMs = clock.time();
        final File clusterDir = new File(baseDir, "cluster");
        final File[] clusterFiles = clusterDir.listFiles();
        if (null != clusterFiles)
        {
            for (final File file : clusterFiles)
            {
                if (ClusterMarkFile.isConsensusModuleMarkFile(file.toPath(), null) ||
                    ClusterMarkFile.isServiceMarkFile(file.toPath(), null))
                {
                    try (ClusterMarkFile markFile =
                        new ClusterMarkFile(clusterDir, file.getName(), clock, MAP_TIMEOUT_MS, (msg) -> { }))
                    {
                        if (recent(markFile.activityTimestampVolatile(), nowMs, activeWithinMs))
                        {
                            return true;
                        }
                    }
                    catch (final IllegalStateException ex)
                    {
                        return true; // created but not initialised yet: another instance is starting
                    }
                }
            }
        }
        final File archiveDir = new File(baseDir, "archive");
        if (new File(archiveDir, ArchiveMarkFile.FILENAME).isFile())
        {
            try (ArchiveMarkFile markFile =
                new ArchiveMarkFile(archiveDir, ArchiveMarkFile.FILENAME, clock, MAP_TIMEOUT_MS, (msg) -> { }))
            {
                return recent(markFile.activityTimestampVolatile(), nowMs, activeWithinMs);
            }
            catch (final IllegalStateException ex)
            {
                return true;
            }
        }
        return false;
    }

    private static boolean recent(final long activityMs, final long nowMs, final long withinMs)
    {
        return activityMs > 0 && nowMs - activityMs < withinMs;
    }
}
