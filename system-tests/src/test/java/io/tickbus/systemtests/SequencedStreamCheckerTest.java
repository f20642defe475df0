package io.tickbus.systemtests;

import io.tickbus.tools.SequenceLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker on hand-made histories: each kind of violation is counted and the first one named. */
class SequencedStreamCheckerTest
{
    @TempDir
    Path tmp;

    private Path history(final String name, final long... globalSeqs)
    {
        final Path file = tmp.resolve(name);
        try (SequenceLog log = SequenceLog.open(file))
        {
            for (final long seq : globalSeqs)
            {
                log.append(seq, 1 + (seq % 2), 100 + seq);
            }
        }
        return file;
    }

    private SequencedStreamChecker checker(final long n)
    {
        final SequencedStreamChecker checker = new SequencedStreamChecker();
        checker.member(n);
        checker.member(n);
        checker.member(n);
        return checker;
    }

    @Test
    void completeHistoriesPass() throws Exception
    {
        final SequencedStreamChecker checker = checker(5);
        checker.history("a", history("a", 1, 2, 3, 4, 5));
        checker.history("b", history("b", 1, 2, 3, 4, 5));
        checker.ack(new SequencedStreamChecker.Ack("feed", 1, 104, 5)); // feed 1 holds the even seqs
        final SequencedStreamChecker.Verdict verdict = checker.check();
        assertNull(verdict.firstViolation(), verdict.toString());
        assertEquals(5, verdict.messages());
    }

    @Test
    void gapDuplicateAndReorderAreCountedAndTheLowestNamed() throws Exception
    {
        final SequencedStreamChecker checker = checker(6);
        checker.history("gap", history("gap", 1, 2, 5, 6));
        checker.history("dup", history("dup", 1, 2, 3, 3, 4, 5, 6));
        checker.history("reorder", history("reorder", 1, 3, 2, 4, 5, 6));
        final SequencedStreamChecker.Verdict verdict = checker.check();
        assertEquals(2, verdict.lost());
        assertEquals(1, verdict.duplicated());
        assertEquals(1, verdict.reordered());
        assertEquals(2, verdict.firstViolationSeq(), verdict.firstViolation());
        assertTrue(verdict.firstViolation().startsWith("reorder: gap: expected global seq 2, got 3"),
            verdict.firstViolation());
    }

    @Test
    void missingAckDivergenceAndDisagreementAreViolations() throws Exception
    {
        final SequencedStreamChecker checker = new SequencedStreamChecker();
        checker.member(3);
        checker.member(3);
        checker.member(2);
        checker.history("a", history("a", 1, 2, 3));
        final Path other = tmp.resolve("b");
        try (SequenceLog log = SequenceLog.open(other))
        {
            log.append(1, 2, 101);
            log.append(2, 1, 999); // a different message at global seq 2
            log.append(3, 2, 103);
        }
        checker.history("b", other);
        checker.ack(new SequencedStreamChecker.Ack("feed", 1, 555, 3)); // acknowledged, never sequenced
        final SequencedStreamChecker.Verdict verdict = checker.check();
        assertEquals(1, verdict.divergent());
        assertEquals(1, verdict.ackedMissing());
        assertTrue(!verdict.membersAgree());
        assertEquals(2, verdict.firstViolationSeq(), verdict.firstViolation());
    }
}
