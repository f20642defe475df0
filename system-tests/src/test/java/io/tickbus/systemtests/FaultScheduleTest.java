package io.tickbus.systemtests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One short fault schedule (about 25 s of faults) against real processes: the sequenced stream's guarantee must
 * hold in every history. The long form is {@code scripts/fault-schedule.sh}. Logs and histories stay in
 * {@code system-tests/target/fault-schedule-test/}.
 */
class FaultScheduleTest
{
    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void sequencedStreamHoldsOneToNInEveryHistoryUnderAShortSchedule() throws Exception
    {
        final Path root = Path.of(System.getProperty("tickbus.root", "..")).toAbsolutePath().normalize();
        assertTrue(Files.exists(root.resolve("tools/target/tickbus.jar")), "build tools first: " + root);
        final long seed = Long.getLong("tickbus.fault.seed", 7);
        final FaultSchedule.Result result = FaultSchedule.run(new FaultSchedule.Config(
            seed, Integer.getInteger("tickbus.fault.seconds", 25), 500, root,
            root.resolve("system-tests/target/fault-schedule-test/seed-" + seed)));
        System.out.println(result.toJson());
        assertTrue(result.verdict().ok(), () -> "seed " + seed + ", global seq " + result.verdict().firstViolationSeq() +
            ": " + result.verdict().firstViolation() + "\n" + result.toJson());
    }
}
