package io.tickbus.tools;

import io.tickbus.sbe.AddOrderDecoder;
import io.tickbus.sbe.BookSnapshotDecoder;
import io.tickbus.sbe.CancelOrderDecoder;
import io.tickbus.sbe.EndOfSessionDecoder;
import io.tickbus.sbe.ExecuteOrderDecoder;
import io.tickbus.sbe.GapNoticeDecoder;
import io.tickbus.sbe.HeartbeatDecoder;
import io.tickbus.sbe.InstrumentDefinitionDecoder;
import io.tickbus.sbe.MarketStatisticDecoder;
import io.tickbus.sbe.ModifyOrderDecoder;
import io.tickbus.sbe.PriceLevelUpdateDecoder;
import io.tickbus.sbe.TopOfBookDecoder;
import io.tickbus.sbe.TradeDecoder;
import io.tickbus.sbe.TradingStatusDecoder;

/**
 * Names of the Tickbus message templates as the schema spells them ({@code Trade}, {@code AddOrder}), for
 * printing and for options such as {@code --type}. Immutable and thread safe.
 */
public final class TemplateNames
{
    private static final String[] NAMES = new String[MarketStatisticDecoder.TEMPLATE_ID + 1];

    static
    {
        NAMES[InstrumentDefinitionDecoder.TEMPLATE_ID] = "InstrumentDefinition";
        NAMES[AddOrderDecoder.TEMPLATE_ID] = "AddOrder";
        NAMES[ModifyOrderDecoder.TEMPLATE_ID] = "ModifyOrder";
        NAMES[CancelOrderDecoder.TEMPLATE_ID] = "CancelOrder";
        NAMES[ExecuteOrderDecoder.TEMPLATE_ID] = "ExecuteOrder";
        NAMES[PriceLevelUpdateDecoder.TEMPLATE_ID] = "PriceLevelUpdate";
        NAMES[TradeDecoder.TEMPLATE_ID] = "Trade";
        NAMES[TopOfBookDecoder.TEMPLATE_ID] = "TopOfBook";
        NAMES[BookSnapshotDecoder.TEMPLATE_ID] = "BookSnapshot";
        NAMES[TradingStatusDecoder.TEMPLATE_ID] = "TradingStatus";
        NAMES[HeartbeatDecoder.TEMPLATE_ID] = "Heartbeat";
        NAMES[GapNoticeDecoder.TEMPLATE_ID] = "GapNotice";
        NAMES[EndOfSessionDecoder.TEMPLATE_ID] = "EndOfSession";
        NAMES[MarketStatisticDecoder.TEMPLATE_ID] = "MarketStatistic";
    }

    private TemplateNames()
    {
    }

    /** @return the highest template id known. */
    public static int maxTemplateId()
    {
        return NAMES.length - 1;
    }

    /**
     * @param templateId a template id.
     * @return its name, or {@code "Template<id>"} when unknown.
     */
    public static String name(final int templateId)
    {
        if (templateId > 0 && templateId < NAMES.length)
        {
            return NAMES[templateId];
        }
        return "Template" + templateId;
    }

    /**
     * @param name a template name, any case, or a template id in digits.
     * @return the template id.
     * @throws IllegalArgumentException listing the known names when the name is unknown.
     */
    public static int parse(final String name)
    {
        final String n = name.trim();
        for (int i = 1; i < NAMES.length; i++)
        {
            if (NAMES[i].equalsIgnoreCase(n) || Integer.toString(i).equals(n))
            {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown message type '" + name + "' (one of " +
            String.join(", ", java.util.Arrays.asList(NAMES).subList(1, NAMES.length)) + ")");
    }
}
