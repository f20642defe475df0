package io.tickbus.tools;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile command lines for every command: huge sizes, negative counts, channel URIs with unknown keys or bad
 * ports, paths that do not exist, values of the wrong kind. Each must be refused before anything starts, with exit
 * code 2, a one-line reason first on stderr naming what was wrong, and no stack trace. Binds nothing (every line
 * is refused during validation); ports named here are in 28000-28999.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileInputTest
{
    private static final String NOWHERE = "/nonexistent-tickbus-dir/nothing";
    /** Never created: every line naming it is refused before anything is written. */
    private static final String SCRATCH = System.getProperty("java.io.tmpdir") + "/tickbus-hostile-" +
        ProcessHandle.current().pid();
    private static final String UNKNOWN_KEY = "aeron:udp?endpoint=127.0.0.1:28001|ttI=0";

    static List<Arguments> hostileLines()
    {
        return List.of(
            // driver
            args("driver", "--term-length", "99999999999"),
            args("driver", "--term-length", "-65536"),
            args("driver", "--ipc-term-length", "3"),
            args("driver", "--profile", "warp-speed"),
            args("driver", "--config", NOWHERE),
            // simulate
            args("simulate", "--venue", "itch5", "--count", "-5", "--to", SCRATCH + "/x.pcap"),
            args("simulate", "--venue", "itch5", "--symbols", "-1", "--to", SCRATCH + "/x.pcap"),
            args("simulate", "--venue", "itch5", "--rate", "-100", "--to", SCRATCH + "/x.pcap"),
            args("simulate", "--venue", "itch5", "--speed", "-2", "--to", SCRATCH + "/x.pcap"),
            args("simulate", "--venue", "itch5", "--to", "udp://127.0.0.1:99999"),
            args("simulate", "--venue", "itch5", "--to", NOWHERE + "/out.pcap"),
            args("simulate", "--pcap", NOWHERE, "--to", "udp://127.0.0.1:28002"),
            args("simulate", "--venue", "nasdaq-ouch", "--to", SCRATCH + "/x.pcap"),
            // parse
            args("parse", "--venue", "itch5", NOWHERE),
            args("parse", "--venue", "bogus", NOWHERE),
            args("parse", "--venue", "itch5", "--errors", "-1", NOWHERE),
            args("parse", "--venue", "itch5", "--date", "2023-13-45", NOWHERE),
            // feed
            args("feed", "--venue", "itch5", "--from", NOWHERE, "--channel", "aeron:ipc", "--stream", "1"),
            args("feed", "--venue", "itch5", "--from", "udp://127.0.0.1:28003", "--channel", "aeron:ipc",
                "--stream", "1", "--receive-time", "now"),
            args("feed", "--venue", "itch5", "--from", "udp://127.0.0.1:28003", "--channel", UNKNOWN_KEY,
                "--stream", "1"),
            args("feed", "--venue", "itch5", "--from", "udp://127.0.0.1:28003", "--channel", "tcp://x",
                "--stream", "1"),
            args("feed", "--venue", "itch5", "--from", "udp://127.0.0.1:28003", "--channel", "aeron:ipc",
                "--stream", "99999999999"),
            args("feed", "--venue", "itch5", "--from", "udp://127.0.0.1:28003", "--channel", "aeron:ipc",
                "--stream", "1", "--feed-id", "70000"),
            args("feed", "--venue", "itch5", "--from", "udp://127.0.0.1:28003", "--channel", "aeron:ipc",
                "--stream", "1", "--feed-id", "-1"),
            args("feed", "--venue", "itch5", "--from", "udp://127.0.0.1:28003", "--channel", "aeron:ipc",
                "--stream", "1", "--back-pressure", "explode"),
            args("feed", "--venue", "itch5", "--from", "udp://127.0.0.1:28003", "--channel", "aeron:ipc",
                "--stream", "1", "--duration", "-1s"),
            args("feed", "--venue", "itch5", "--from", "udp://127.0.0.1:99999", "--channel", "aeron:ipc",
                "--stream", "1"),
            // subscribe
            args("subscribe", "--channel", UNKNOWN_KEY, "--stream", "1"),
            args("subscribe", "--channel", "aeron:udp?endpoint=127.0.0.1:70000", "--stream", "1"),
            args("subscribe", "--channel", "aeron:ipc", "--stream", "1", "--count", "-1"),
            args("subscribe", "--channel", "aeron:ipc", "--stream", "1", "--duration", "5 parsecs"),
            args("subscribe", "--channel", "aeron:ipc", "--stream", "one"),
            // latency
            args("latency", "--channel", UNKNOWN_KEY, "--stream", "1"),
            args("latency", "--channel", "aeron:ipc", "--stream", "1", "--count", "-1"),
            args("latency", "--channel", "aeron:ipc", "--stream", "1", "--plot-width", "-5"),
            args("latency", "--channel", "aeron:ipc", "--stream", "1", "--plot-height", "2000000000"),
            args("latency", "--channel", "aeron:ipc", "--stream", "1", "--interval", "0s"),
            args("latency", "--channel", "aeron:ipc", "--stream", "1", "--warmup", "-1"),
            args("latency", "--channel", "aeron:ipc", "--stream", "1", "--hlog", NOWHERE + "/x.hlog"),
            // sequencer
            args("sequencer", "--member-id", "-1", "--members", "127.0.0.1:28010", "--dir", SCRATCH),
            args("sequencer", "--member-id", "0", "--members", "garbage", "--dir", SCRATCH),
            args("sequencer", "--member-id", "0", "--members", "127.0.0.1:28010", "--dir", SCRATCH,
                "--leader-timeout", "-1s"),
            args("sequencer", "--member-id", "0", "--members", "127.0.0.1:28010", "--dir", SCRATCH,
                "--credentials", NOWHERE),
            args("sequencer", "--member-id", "5", "--members", "127.0.0.1:28010", "--dir", SCRATCH),
            // archive
            args("archive", "--dir", SCRATCH, "--record", "aeron:ipc:1", "--segment-length", "3"),
            args("archive", "--dir", SCRATCH, "--record", "aeron:ipc:1", "--segment-length", "99999999999999"),
            args("archive", "--dir", SCRATCH, "--record", "aeron:ipc:1", "--retain-days", "-1"),
            args("archive", "--dir", SCRATCH, "--record", "nonsense"),
            args("archive", "--dir", SCRATCH, "--record", UNKNOWN_KEY + ":1"),
            args("archive", "--dir", SCRATCH, "--record", "aeron:ipc:1", "--day-roll", "25:99"),
            args("archive", "--dir", SCRATCH, "--record", "aeron:ipc:1", "--day-zone", "Mars/Olympus"),
            // replay, recordings
            args("replay", "--day", "yesterday", "--stream", "1", "--channel", "aeron:ipc", "--to-stream", "2"),
            args("replay", "--day", "2024-01-02", "--stream", "1", "--channel", UNKNOWN_KEY, "--to-stream", "2"),
            args("replay", "--day", "2024-01-02", "--stream", "1", "--channel", "aeron:ipc", "--to-stream", "2",
                "--speed", "-3"),
            args("replay", "--day", "2024-01-02", "--stream", "1", "--channel", "aeron:ipc", "--to-stream", "2",
                "--from", "26:00:00"),
            args("recordings", "--dir", NOWHERE),
            // stat, demo
            args("stat", "--interval", "0s", "--once"),
            args("stat", "--prometheus", "70000"),
            args("stat", "--filter", "([unclosed", "--once"),
            args("demo", "--rate", "-1"),
            args("demo", "--udp-port", "70000"),
            args("demo", "--duration", "forever"));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("hostileLines")
    void refusedWithUsageErrorAndOneLineReason(final String[] args)
    {
        final CliRun run = CliRun.run(args);
        final String line = String.join(" ", args);
        final String err = run.err();
        assertEquals(2, run.exitCode(), "exit code for: " + line + "\nstdout: " + run.out() + "\nstderr: " + err);
        final String firstLine = err.lines().findFirst().orElse("");
        assertFalse(firstLine.isBlank(), "a reason on the first line of stderr for: " + line);
        assertTrue(firstLine.length() < 400, "one short line: " + firstLine);
        assertFalse(err.contains("\tat ") || err.contains("Exception:") || err.contains("Exception "),
            "no stack trace or exception class for: " + line + "\n" + err);
    }

    /** Well-formed lines that fail at run time: exit 1, still one line, still no stack trace. */
    static List<Arguments> runtimeRefusals()
    {
        return List.of(
            args("subscribe", "--channel", "aeron:ipc", "--stream", "1", "--driver-dir", NOWHERE),
            args("stat", "--once", "--driver-dir", NOWHERE));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("runtimeRefusals")
    void runtimeErrorIsOneLineWithoutStackTrace(final String[] args)
    {
        final CliRun run = CliRun.run(args);
        final String err = run.err();
        assertEquals(1, run.exitCode(), String.join(" ", args) + "\nstderr: " + err);
        assertEquals(1, err.lines().count(), "exactly one line: " + err);
        assertTrue(err.startsWith("tickbus " + args[0] + ": error: "), err);
        assertFalse(err.contains("\tat ") || err.contains("Exception"), err);
    }

    @AfterAll
    static void nothingWasWritten()
    {
        assertFalse(Files.exists(Path.of(SCRATCH)), "a refused command wrote " + SCRATCH);
    }

    private static Arguments args(final String... args)
    {
        return Arguments.of((Object)args);
    }
}
