package io.tickbus.tools;

import io.tickbus.client.InstrumentFilter;
import io.tickbus.sbe.EndOfSessionDecoder;
import io.tickbus.sbe.InstrumentDefinitionDecoder;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --symbol} and {@code --type} options of {@code backtest} and {@code export}: which messages of a
 * recorded day pass. Instrument definitions always reach the listener (a book or a symbol column needs them), and
 * so does the replay's end marker; {@link #shows(int)} says whether a definition is itself wanted as output.
 * <p>
 * Threading: the command's thread. Allocation: at {@link #conclude()} only.
 */
final class MessageSelection
{
    @Option(names = "--symbol", paramLabel = "SYMBOL", split = ",",
        description = "Only these symbols (repeatable or comma separated); market-wide messages always pass.")
    List<String> symbols = new ArrayList<>();

    @Option(names = "--type", paramLabel = "TYPE", split = ",",
        description = "Only these message types, e.g. Trade,TopOfBook (repeatable or comma separated).")
    List<String> types = new ArrayList<>();

    private boolean[] wanted;
    private InstrumentFilter filter;

    /**
     * Check the options (a bad one is a usage error) and build the filters.
     *
     * @return this.
     */
    MessageSelection conclude()
    {
        if (!types.isEmpty())
        {
            wanted = new boolean[TemplateNames.maxTemplateId() + 1];
            for (final String type : types)
            {
                wanted[TemplateNames.parse(type)] = true;
            }
        }
        for (final String symbol : symbols)
        {
            if (symbol.isBlank())
            {
                throw new IllegalArgumentException("--symbol must not be empty");
            }
            filter = null == filter ? new InstrumentFilter() : filter;
            filter.symbol(symbol);
        }
        return this;
    }

    /** @return the instrument filter, null when no {@code --symbol} was given. */
    InstrumentFilter instruments()
    {
        return filter;
    }

    /**
     * @param templateId a message's template.
     * @return true when the message goes on to the listener.
     */
    boolean passes(final int templateId)
    {
        return null == wanted || templateId >= wanted.length || wanted[templateId] ||
            InstrumentDefinitionDecoder.TEMPLATE_ID == templateId || EndOfSessionDecoder.TEMPLATE_ID == templateId;
    }

    /**
     * @param templateId a message's template.
     * @return true when messages of this type are wanted as output (an export's rows).
     */
    boolean shows(final int templateId)
    {
        return null == wanted || (templateId < wanted.length && wanted[templateId]);
    }
}
