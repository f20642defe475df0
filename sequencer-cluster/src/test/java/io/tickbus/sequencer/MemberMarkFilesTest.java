package io.tickbus.sequencer;

import io.aeron.cluster.codecs.mark.ClusterComponentType;
import io.aeron.cluster.service.ClusterMarkFile;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The typed check {@link SequencerNode#launch} uses to wait for a crashed instance's mark files to go stale.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MemberMarkFilesTest
{
    @TempDir
    File baseDir;

    @Test
    void aRecentlyActiveMarkFileIsLiveAndAnOldOneIsNot()
    {
        final File clusterDir = new File(baseDir, "cluster");
        assertTrue(clusterDir.mkdirs());
        assertFalse(MemberMarkFiles.anyActive(baseDir, SystemEpochClock.INSTANCE, 10_000), "no mark files");
        try (ClusterMarkFile markFile = new ClusterMarkFile(new File(clusterDir, ClusterMarkFile.FILENAME),
            ClusterComponentType.CONSENSUS_MODULE, ClusterMarkFile.ERROR_BUFFER_MIN_LENGTH,
            SystemEpochClock.INSTANCE, 1_000))
        {
            markFile.signalReady();
            markFile.updateActivityTimestamp(System.currentTimeMillis());
            assertTrue(MemberMarkFiles.anyActive(baseDir, SystemEpochClock.INSTANCE, 10_000));

            markFile.updateActivityTimestamp(System.currentTimeMillis() - 60_000);
            assertFalse(MemberMarkFiles.anyActive(baseDir, SystemEpochClock.INSTANCE, 10_000));
        }
    }
}
