package io.tickbus.feed.cme;

import io.tickbus.feed.DerivedSequence;
import io.tickbus.feed.InstrumentIds;
import io.tickbus.feed.MessageEncoders;
import io.tickbus.feed.cme.mdp3.MDInstrumentDefinitionFuture27Decoder;
import io.tickbus.feed.cme.mdp3.MDInstrumentDefinitionFuture54Decoder;
import io.tickbus.feed.cme.mdp3.MDInstrumentDefinitionOption41Decoder;
import io.tickbus.feed.cme.mdp3.MDInstrumentDefinitionOption55Decoder;
import io.tickbus.feed.cme.mdp3.MDInstrumentDefinitionSpread29Decoder;
import io.tickbus.feed.cme.mdp3.MDInstrumentDefinitionSpread56Decoder;
import io.tickbus.feed.iex.TradingDateClock;
import io.tickbus.sbe.InstrumentDefinitionEncoder;
import io.tickbus.sbe.SecurityType;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;

/**
 * The instruments of an MDP3 channel: publishes an InstrumentDefinition for each CME security definition (templates
 * 27, 29, 41 of schema version 8 and older, prices at exponent -7; 54, 55, 56 of version 9, exponent -9), and a
 * minimal one (security type UNKNOWN, no symbol) before the first message of a security whose definition was not
 * seen. Instrument ids are CME security ids; definitions are numbered by the {@link DerivedSequence} the normalizer
 * positioned on the message (inserted ones take {@link DerivedSequence#definition()}).
 * <p>
 * Threading: the normalizer's thread. Allocation: decoders at construction; a String per new security definition.
 */
public final class Mdp3Definitions
{
    /** Time zone of the CME trade date. */
    public static final ZoneId ZONE = ZoneId.of("America/Chicago");
    /** The trade date starts at 17:00 Chicago time the evening before: shift by 7 hours. */
    public static final long TRADE_DATE_SHIFT_NS = TimeUnit.HOURS.toNanos(7);
    /** Length of a CME symbol (16 in Tickbus: longer symbols are cut, the security id stays the key). */
    private static final int SYMBOL_LENGTH = 20;
    private static final int ROOT_OFFSET = Mdp3Normalizer.ROOT_OFFSET;

    private final MessageEncoders encoders;
    private final DerivedSequence sequence;
    private final InstrumentIds instrumentIds = new InstrumentIds();
    private final TradingDateClock dateClock = new TradingDateClock(ZONE, TRADE_DATE_SHIFT_NS);
    private final UnsafeBuffer noSymbol = new UnsafeBuffer(new byte[0]);

    private final MDInstrumentDefinitionFuture27Decoder future27 = new MDInstrumentDefinitionFuture27Decoder();
    private final MDInstrumentDefinitionSpread29Decoder spread29 = new MDInstrumentDefinitionSpread29Decoder();
    private final MDInstrumentDefinitionOption41Decoder option41 = new MDInstrumentDefinitionOption41Decoder();
    private final MDInstrumentDefinitionFuture54Decoder future54 = new MDInstrumentDefinitionFuture54Decoder();
    private final MDInstrumentDefinitionSpread56Decoder spread56 = new MDInstrumentDefinitionSpread56Decoder();
    private final MDInstrumentDefinitionOption55Decoder option55 = new MDInstrumentDefinitionOption55Decoder();

    // The definition message being mapped.
    private DirectBuffer view;
    private long sendingTimeNs;
    private long receiveTimeNs;

    /**
     * @param encoders to publish with.
     * @param sequence numbering the messages, shared with the normalizer.
     */
    public Mdp3Definitions(final MessageEncoders encoders, final DerivedSequence sequence)
    {
        this.encoders = encoders;
        this.sequence = sequence;
    }

    /** @return security ids with a definition, and their symbols. */
    public InstrumentIds instrumentIds()
    {
        return instrumentIds;
    }

    /**
     * @param templateId an MDP3 template id.
     * @return true for the security definition templates this class maps.
     */
    public static boolean isDefinition(final int templateId)
    {
        switch (templateId)
        {
            case 27:
            case 29:
            case 41:
            case 54:
            case 55:
            case 56:
                return true;
            default:
                return false;
        }
    }

    /**
     * Publish the InstrumentDefinition of a checked security definition message ({@link #isDefinition}).
     *
     * @param message the message, its root block at {@link Mdp3Normalizer#ROOT_OFFSET}.
     * @param templateId of the message.
     * @param blockLength acting block length.
     * @param version acting version.
     * @param sendingTimeNs the packet's sending time: the definition's time when it has no LastUpdateTime.
     * @param receiveTimeNs receive time of the packet.
     */
    public void onDefinition(
        final DirectBuffer message,
        final int templateId,
        final int blockLength,
        final int version,
        final long sendingTimeNs,
        final long receiveTimeNs)
    {
        this.view = message;
        this.sendingTimeNs = sendingTimeNs;
        this.receiveTimeNs = receiveTimeNs;
        switch (templateId)
        {
            case 27:
                onFuture27(blockLength, version);
                break;
            case 29:
                onSpread29(blockLength, version);
                break;
            case 41:
                onOption41(blockLength, version);
                break;
            case 54:
                onFuture54(blockLength, version);
                break;
            case 55:
                onOption55(blockLength, version);
                break;
            case 56:
                onSpread56(blockLength, version);
                break;
            default:
                throw new IllegalArgumentException("not a definition template: " + templateId);
        }
    }

    private void onFuture27(final int blockLength, final int version)
    {
        future27.wrap(view, ROOT_OFFSET, blockLength, version);
        define(future27.securityID(), future27.lastUpdateTime(), future27.offset() +
            MDInstrumentDefinitionFuture27Decoder.symbolEncodingOffset(), SecurityType.FUTURE, (byte)-7,
            future27.minTradeVol(), future27.minPriceIncrement().mantissa(), future27.tradingReferenceDate(),
            future27.displayFactor().mantissa(), (byte)-7);
    }

    private void onSpread29(final int blockLength, final int version)
    {
        spread29.wrap(view, ROOT_OFFSET, blockLength, version);
        define(spread29.securityID(), spread29.lastUpdateTime(), spread29.offset() +
            MDInstrumentDefinitionSpread29Decoder.symbolEncodingOffset(), SecurityType.SPREAD, (byte)-7,
            spread29.minTradeVol(), spread29.minPriceIncrement().mantissa(), spread29.tradingReferenceDate(),
            spread29.displayFactor().mantissa(), (byte)-7);
    }

    private void onOption41(final int blockLength, final int version)
    {
        option41.wrap(view, ROOT_OFFSET, blockLength, version);
        define(option41.securityID(), option41.lastUpdateTime(), option41.offset() +
            MDInstrumentDefinitionOption41Decoder.symbolEncodingOffset(), SecurityType.OPTION, (byte)-7,
            option41.minTradeVol(), option41.minPriceIncrement().mantissa(), option41.tradingReferenceDate(),
            option41.displayFactor().mantissa(), (byte)-7);
    }

    private void onFuture54(final int blockLength, final int version)
    {
        future54.wrap(view, ROOT_OFFSET, blockLength, version);
        define(future54.securityID(), future54.lastUpdateTime(), future54.offset() +
            MDInstrumentDefinitionFuture54Decoder.symbolEncodingOffset(), SecurityType.FUTURE, (byte)-9,
            future54.minTradeVol(), future54.minPriceIncrement().mantissa(), future54.tradingReferenceDate(),
            future54.displayFactor().mantissa(), (byte)-9);
    }

    private void onOption55(final int blockLength, final int version)
    {
        option55.wrap(view, ROOT_OFFSET, blockLength, version);
        define(option55.securityID(), option55.lastUpdateTime(), option55.offset() +
            MDInstrumentDefinitionOption55Decoder.symbolEncodingOffset(), SecurityType.OPTION, (byte)-9,
            option55.minTradeVol(), option55.minPriceIncrement().mantissa(), option55.tradingReferenceDate(),
            option55.displayFactor().mantissa(), (byte)-9);
    }

    private void onSpread56(final int blockLength, final int version)
    {
        spread56.wrap(view, ROOT_OFFSET, blockLength, version);
        define(spread56.securityID(), spread56.lastUpdateTime(), spread56.offset() +
            MDInstrumentDefinitionSpread56Decoder.symbolEncodingOffset(), SecurityType.SPREAD, (byte)-9,
            spread56.minTradeVol(), spread56.minPriceIncrement().mantissa(), spread56.tradingReferenceDate(),
            spread56.displayFactor().mantissa(), (byte)-9);
    }

    /**
     * Publish an InstrumentDefinition from a CME security definition.
     */
    private void define(
        final int securityId,
        final long lastUpdateTime,
        final int symbolOffset,
        final SecurityType type,
        final byte exponent,
        final long minTradeVol,
        final long minPriceIncrement,
        final int tradingReferenceDate,
        final long displayFactorMantissa,
        final byte displayFactorExponent)
    {
        if (securityId <= 0)
        {
            return;
        }
        final long time = 0 == lastUpdateTime ? sendingTimeNs : lastUpdateTime;
        instrumentIds.put(securityId, view, symbolOffset, SYMBOL_LENGTH);
        final InstrumentDefinitionEncoder definition = encoders.instrumentDefinition(
            securityId, sequence.next(), time, receiveTimeNs);
        MessageEncoders.symbol(definition, view, symbolOffset, SYMBOL_LENGTH)
            .securityType(type)
            .priceExponent(exponent)
            .lotSize((int)Math.min(Math.max(minTradeVol, 0), Integer.MAX_VALUE))
            .tickSize(Long.MAX_VALUE == minPriceIncrement ? 0 : minPriceIncrement)
            .tradingDate(tradingDate(tradingReferenceDate, time));
        if (Long.MAX_VALUE != displayFactorMantissa && Long.MIN_VALUE != displayFactorMantissa)
        {
            definition.displayFactorMantissa(displayFactorMantissa).displayFactorExponent(displayFactorExponent);
        }
        encoders.publish(definition);
        instrumentIds.markDefined(securityId);
    }

    /**
     * The security's instrument id (its CME security id); a minimal definition first when none was published.
     *
     * @param securityId CME security id, 0 or less for none.
     * @param time of the message that uses it: the minimal definition's time and trading date.
     * @param exponent price exponent of the message that uses it.
     * @param receiveTimeNs receive time of the packet.
     * @return the instrument id, 0 for none.
     */
    public int instrumentFor(final int securityId, final long time, final byte exponent, final long receiveTimeNs)
    {
        if (securityId <= 0)
        {
            return 0;
        }
        if (!instrumentIds.isDefined(securityId))
        {
            final InstrumentDefinitionEncoder definition = encoders.instrumentDefinition(
                securityId, sequence.definition(), time, receiveTimeNs);
            MessageEncoders.symbol(definition, noSymbol, 0, 0)
                .securityType(SecurityType.UNKNOWN)
                .priceExponent(exponent)
                .lotSize(0)
                .tickSize(0)
                .tradingDate(dateClock.tradingDate(time));
            encoders.publish(definition);
            instrumentIds.markDefined(securityId);
        }
        return securityId;
    }

    /**
     * @param localMktDate CME LocalMktDate: days since 1970-01-01, 65535 when null.
     * @return the date as YYYYMMDD, 0 when null.
     */
    public static int yyyymmddOrZero(final int localMktDate)
    {
        if (localMktDate <= 0 || localMktDate >= 0xFFFF)
        {
            return 0;
        }
        final LocalDate date = LocalDate.ofEpochDay(localMktDate);
        return date.getYear() * 10_000 + date.getMonthValue() * 100 + date.getDayOfMonth();
    }

    /**
     * @param localMktDate CME LocalMktDate: days since 1970-01-01, 65535 when null.
     * @return the date as YYYYMMDD, the trade date of {@code time} when null.
     */
    private int tradingDate(final int localMktDate, final long time)
    {
        final int date = yyyymmddOrZero(localMktDate);
        return 0 == date ? dateClock.tradingDate(time) : date;
    }
}
