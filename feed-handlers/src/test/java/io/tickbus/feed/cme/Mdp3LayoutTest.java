package io.tickbus.feed.cme;

import io.tickbus.feed.cme.mdp3.MDIncrementalRefreshBook32Decoder;
import io.tickbus.feed.cme.mdp3.MDIncrementalRefreshBook46Decoder;
import io.tickbus.feed.cme.mdp3.MDInstrumentDefinitionSpread29Decoder;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layout table against the schema XML it was written from, and against the generated decoders.
 */
class Mdp3LayoutTest
{
    @Test
    void everyTemplateOfTheSchemaMatchesTheTable() throws Exception
    {
        final Element schema;
        try (InputStream in = Mdp3Layout.class.getResourceAsStream("/cme/templates_FixBinary_v9.xml"))
        {
            assertNotNull(in, "schema on the classpath");
            final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            schema = factory.newDocumentBuilder().parse(in).getDocumentElement();
        }
        assertEquals("9", schema.getAttribute("version"));

        final NodeList messages = schema.getElementsByTagNameNS("*", "message");
        int templates = 0;
        for (int i = 0; i < messages.getLength(); i++)
        {
            final Element message = (Element)messages.item(i);
            final int id = Integer.parseInt(message.getAttribute("id"));
            assertTrue(Mdp3Layout.isKnown(id), "template " + id);
            assertEquals(Integer.parseInt(message.getAttribute("blockLength")), Mdp3Layout.rootBlockLength(id));
            final String templateSince = message.getAttribute("sinceVersion");
            assertEquals(templateSince.isEmpty() ? 0 : Integer.parseInt(templateSince), Mdp3Layout.templateSince(id),
                "sinceVersion of " + id);
            assertArrayEquals(sinceFields(message), Mdp3Layout.rootSince(id), "root of " + id);

            final List<Element> groups = children(message, "group");
            assertEquals(groups.size(), Mdp3Layout.groupCount(id), "groups of " + id);
            for (int g = 0; g < groups.size(); g++)
            {
                final Element group = groups.get(g);
                final int[] row = Mdp3Layout.group(id, g);
                assertEquals("groupSize8Byte".equals(group.getAttribute("dimensionType")) ? 8 : 3, row[0]);
                assertEquals(Integer.parseInt(group.getAttribute("blockLength")), row[1]);
                final String since = group.getAttribute("sinceVersion");
                assertEquals(since.isEmpty() ? 0 : Integer.parseInt(since), row[2]);
                final int[] fields = sinceFields(group);
                final int[] tail = new int[row.length - 3];
                System.arraycopy(row, 3, tail, 0, tail.length);
                assertArrayEquals(fields, tail, "group " + g + " of " + id);
            }
            templates++;
        }
        assertEquals(29, templates);
        assertFalse(Mdp3Layout.isKnown(36), "template 36 left the schema before version 9");
    }

    @Test
    void tableAgreesWithTheGeneratedDecoders()
    {
        assertEquals(MDIncrementalRefreshBook46Decoder.BLOCK_LENGTH, Mdp3Layout.rootBlockLength(46));
        assertEquals(MDIncrementalRefreshBook46Decoder.NoMDEntriesDecoder.sbeBlockLength(), Mdp3Layout.group(46, 0)[1]);
        assertEquals(MDIncrementalRefreshBook46Decoder.NoOrderIDEntriesDecoder.sbeHeaderSize(),
            Mdp3Layout.group(46, 1)[0]);
        assertEquals(
            MDIncrementalRefreshBook32Decoder.noOrderIDEntriesDecoderSinceVersion(), Mdp3Layout.group(32, 1)[2]);
        assertEquals(MDInstrumentDefinitionSpread29Decoder.tradingReferenceDateEncodingOffset(),
            Mdp3Layout.rootSince(29)[1]);
    }

    private static int[] sinceFields(final Element parent)
    {
        final List<Integer> pairs = new ArrayList<>();
        for (final Element field : children(parent, "field"))
        {
            if (!field.getAttribute("sinceVersion").isEmpty() && !field.getAttribute("offset").isEmpty())
            {
                pairs.add(Integer.parseInt(field.getAttribute("sinceVersion")));
                pairs.add(Integer.parseInt(field.getAttribute("offset")));
            }
        }
        return pairs.stream().mapToInt(Integer::intValue).toArray();
    }

    private static List<Element> children(final Element parent, final String localName)
    {
        final List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); null != n; n = n.getNextSibling())
        {
            if (n instanceof Element && localName.equals(n.getLocalName()))
            {
                out.add((Element)n);
            }
        }
        return out;
    }
}
