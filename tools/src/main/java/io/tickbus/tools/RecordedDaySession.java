package io.tickbus.tools;

import io.aeron.Aeron;
import io.aeron.archive.client.AeronArchive;
import io.aeron.archive.client.ArchiveException;
import io.tickbus.archive.ArchiveDirectory;
import io.tickbus.archive.DayCatalog;
import io.tickbus.archive.TickbusArchive;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.tickbus.archive.client.DayReplayer;
import io.tickbus.archive.client.StreamUsage;
import io.tickbus.client.BusChannels;
import io.tickbus.client.CommonBlock;
import io.tickbus.client.MarketDataListener;
import io.tickbus.client.MessageDispatcher;
import io.tickbus.sbe.EndOfSessionDecoder;
import io.tickbus.sbe.MessageHeaderDecoder;
import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What the commands that read a recorded day ({@code replay}, {@code backtest}, {@code export}) share: the
 * archive directory checked, its day catalog loaded, and an Aeron client and archive client connected to the
 * running archive (found through the info file it writes beside its recordings).
 * <p>
 * Threading: the command's thread. Allocation: at open only.
 */
final class RecordedDaySession implements AutoCloseable
{
    private final Path archiveDir;
    private final DayCatalog catalog;
    private Aeron aeron;
    private AeronArchive archive;
    private long firstExchangeTime;
    private long lastExchangeTime;
    private DayReplayer.Result lastReplay;

    private RecordedDaySession(final Path archiveDir, final DayCatalog catalog)
    {
        this.archiveDir = archiveDir;
        this.catalog = catalog;
    }

    /**
     * @param dir the archive directory from {@code --dir}, or null for the default.
     * @param err where client errors are reported.
     * @param command the command's name, for messages.
     * @return the connected session.
     * @throws IllegalArgumentException when the directory does not exist (usage error).
     * @throws IllegalStateException when nothing was recorded or no archive is running there.
     * @throws Exception when loading the catalog fails.
     */
    static RecordedDaySession open(final Path dir, final PrintWriter err, final String command) throws Exception
    {
        final Path archiveDir = ArchiveCommand.existingArchiveDir(dir);
        final DayCatalog catalog;
        try
        {
            catalog = DayCatalog.load(archiveDir);
        }
        catch (final NoSuchFileException ex)
        {
            throw new IllegalStateException("no day catalog in " + archiveDir + " (nothing recorded yet?)");
        }
        final Properties info = ArchiveDirectory.runningInfo(archiveDir);
        final RecordedDaySession session = new RecordedDaySession(archiveDir, catalog);
        try
        {
            session.aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(info.getProperty("aeron.dir"))
                .errorHandler((ex) -> err.println("tickbus " + command + ": error: " + ex.getMessage())));
            session.archive = connectArchive(session.aeron, archiveDir, info);
        }
        catch (final RuntimeException ex)
        {
            session.close();
            throw ex;
        }
        return session;
    }

    private static AeronArchive connectArchive(final Aeron aeron, final Path archiveDir, final Properties info)
    {
        try
        {
            return TickbusArchive.connectLocal(aeron);
        }
        catch (final ArchiveException ex)
        {
            if (Boolean.parseBoolean(info.getProperty("control.authenticated")))
            {
                throw new IllegalStateException("the archive on " + archiveDir + " requires control authentication" +
                    " and refused this client (" + ex.getMessage() + "): set " +
                    TickbusArchive.Configuration.SECRET_FILE_ENV + " or " + TickbusArchive.Configuration.SECRET_ENV +
                    " to the archive's secret", ex);
            }
            throw ex;
        }
    }

    /**
     * A replayer of a day of this archive, with the archive directory set (for the day lock).
     *
     * @param ctx what to replay and where.
     * @return the replayer; close it.
     */
    DayReplayer replayer(final DayReplayer.Context ctx)
    {
        try
        {
            return new DayReplayer(aeron, archive, catalog, ctx.archiveDir(archiveDir));
        }
        catch (final IllegalArgumentException ex)
        {
            // What the archive holds (no recording of that day, --from after its last message) is a runtime error:
            // the command line was well formed. One line, exit 1, no usage.
            throw new IllegalStateException(ex.getMessage(), ex);
        }
    }

    /**
     * @param day a trading day.
     * @param streamId a recorded stream.
     * @return the messages the catalog holds for the day and stream (0 when none).
     */
    long recordedMessages(final java.time.LocalDate day, final int streamId)
    {
        long messages = 0;
        for (final DayCatalog.DaySummary summary : catalog.days())
        {
            if (summary.day().equals(day) && summary.streamId() == streamId)
            {
                messages += summary.messages();
            }
        }
        return messages;
    }

    /**
     * Replay a day flat out or paced into a listener on a private IPC stream of this process, until the replay's
     * end marker (EndOfSession with endOfReplay = 1) has been dispatched too.
     *
     * @param ctx day, stream, range and speed; the target is set here.
     * @param privateStreamId an IPC stream id nothing else uses.
     * @param listener receives every replayed message that the selection passes (a recap first when the context
     *     asks for one), then the end marker.
     * @param selection the {@code --symbol} / {@code --type} filters.
     * @param progress told the messages replayed so far (the filtered ones included) as the replay goes.
     * @param stop Ctrl-C.
     * @param timeoutNs upper bound for the whole replay.
     * @return messages dispatched, the end marker included.
     */
    long replayInto(
        final DayReplayer.Context ctx,
        final int privateStreamId,
        final MarketDataListener listener,
        final MessageSelection selection,
        final Progress progress,
        final StopSignal stop,
        final long timeoutNs)
    {
        final MessageDispatcher dispatcher = new MessageDispatcher(listener, selection.instruments(), null, null, null);
        final boolean[] ended = new boolean[1];
        final long[] replayed = new long[1];
        final FragmentAssembler assembler = new FragmentAssembler((buffer, offset, length, header) ->
        {
            final boolean tickbus = CommonBlock.isTickbusMessage(buffer, offset, length);
            replayed[0]++;
            if (!tickbus || selection.passes(CommonBlock.templateId(buffer, offset)))
            {
                final long received = dispatcher.receivedCount();
                dispatcher.onFragment(buffer, offset, length, header);
                final long exchangeTime = tickbus ? CommonBlock.exchangeTime(buffer, offset) : 0;
                if (dispatcher.receivedCount() > received && 0 != exchangeTime && !CommonBlock.isRecap(buffer, offset))
                {
                    firstExchangeTime = 0 == firstExchangeTime ? exchangeTime : firstExchangeTime;
                    lastExchangeTime = Math.max(lastExchangeTime, exchangeTime);
                }
            }
            if (tickbus &&
                CommonBlock.templateId(buffer, offset) == EndOfSessionDecoder.TEMPLATE_ID &&
                1 == buffer.getByte(offset + MessageHeaderDecoder.ENCODED_LENGTH +
                EndOfSessionDecoder.endOfReplayEncodingOffset()))
            {
                ended[0] = true;
            }
        });
        try (Subscription subscription = aeron.addSubscription(BusChannels.IPC, privateStreamId);
            DayReplayer replayer = replayer(ctx.target(BusChannels.IPC, privateStreamId)))
        {
            final IdleStrategy idle = new BackoffIdleStrategy(1, 10, 1_000, 1_000_000);
            final long deadlineNs = System.nanoTime() + timeoutNs;
            while (!ended[0] && !stop.isRequested())
            {
                final int work = (replayer.isDone() ? 0 : replayer.doWork()) + subscription.poll(assembler, 256);
                if (System.nanoTime() - deadlineNs >= 0)
                {
                    throw new IllegalStateException("the replay did not finish within " +
                        TimeUnit.NANOSECONDS.toSeconds(timeoutNs) + " s");
                }
                progress.update(replayed[0]);
                idle.idle(work);
            }
            lastReplay = replayer.result();
        }
        progress.done(replayed[0]);
        return dispatcher.receivedCount();
    }

    /**
     * An IPC stream id for a private replay: the requested one, or with 0 the first of 9301..9999 that no
     * publication on this driver uses (a previous run's replay may still linger for a moment).
     *
     * @param requested the {@code --replay-stream} option, 0 for automatic.
     * @return the stream id.
     */
    int privateStream(final int requested)
    {
        if (0 != requested)
        {
            return requested;
        }
        for (int streamId = 9301; streamId < 10_000; streamId++)
        {
            if (null == StreamUsage.findPublication(aeron.countersReader(), BusChannels.IPC, streamId))
            {
                return streamId;
            }
        }
        throw new IllegalStateException("no free IPC stream in 9301..9999 for the replay");
    }

    /** @return what the last {@link #replayInto} replayed (recap figures included), null before one. */
    DayReplayer.Result lastReplay()
    {
        return lastReplay;
    }

    /** @return the first exchange time of a message dispatched by {@link #replayInto}, 0 before any. */
    long firstExchangeTime()
    {
        return firstExchangeTime;
    }

    /** @return the latest exchange time of a message dispatched by {@link #replayInto}, 0 before any. */
    long lastExchangeTime()
    {
        return lastExchangeTime;
    }

    Path archiveDir()
    {
        return archiveDir;
    }

    DayCatalog catalog()
    {
        return catalog;
    }

    Aeron aeron()
    {
        return aeron;
    }

    public void close()
    {
        CloseHelper.quietCloseAll(archive, aeron);
    }
}
