package io.tickbus.feed.cme;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * The shape of every MDP 3.0 message of the generated schema (version 9): root block length, the root fields that
 * a later version appended (sinceVersion, offset), and the repeating groups in order (dimension header size, entry
 * block length, sinceVersion, entry fields appended later). {@link #check} walks a message's group headers with it
 * before any field is read, so that a count or length that lies is caught without decoding past the message.
 * <p>
 * The table is the schema's own numbers (templates_FixBinary_v9.xml); Mdp3LayoutTest re-reads the XML and checks
 * every row.
 * <p>
 * Stateless after class initialisation, thread safe, allocation free.
 */
public final class Mdp3Layout
{
    /** Largest template id in the table. */
    public static final int MAX_TEMPLATE_ID = 63;

    /** {@link #check} result: the message fits. */
    public static final int OK = 0;
    /** {@link #check} result: the template is not in the schema. */
    public static final int UNKNOWN_TEMPLATE = 1;
    /** {@link #check} result: the root block is shorter than the fields of its acting version. */
    public static final int SHORT_ROOT_BLOCK = 2;
    /** {@link #check} result: a group entry is shorter than the fields of its acting version. */
    public static final int SHORT_GROUP_BLOCK = 3;
    /** {@link #check} result: the groups run past the end of the message. */
    public static final int PAST_END = 4;
    /** A message whose version is older than the schema version its template appeared in. */
    public static final int VERSION_BEFORE_TEMPLATE = 5;

    private static final int[] NONE = new int[0];
    private static final int[] ROOT_BLOCK_LENGTH = new int[MAX_TEMPLATE_ID + 1];
    private static final int[][] ROOT_SINCE = new int[MAX_TEMPLATE_ID + 1][];
    private static final int[][][] GROUPS = new int[MAX_TEMPLATE_ID + 1][][];
    private static final int[] TEMPLATE_SINCE = new int[MAX_TEMPLATE_ID + 1];

    static
    {
        add(4, 9, NONE, group(3, 2, 0, new int[]{3, 0}));
        add(12, 0, NONE);
        add(15, 1, NONE);
        add(16, 180, NONE);
        add(27, 216, new int[]{3, 213, 6, 214}, group(3, 9, 0, NONE), group(3, 4, 0, NONE), group(3, 4, 0, NONE),
            group(3, 5, 0, NONE));
        add(29, 195, new int[]{6, 193}, group(3, 9, 0, NONE), group(3, 4, 0, NONE), group(3, 4, 0, NONE),
            group(3, 5, 0, NONE), group(3, 18, 0, NONE));
        add(30, 30, NONE);
        add(32, 11, NONE, group(3, 32, 0, NONE), group(8, 24, 7, NONE));
        add(33, 11, NONE, group(3, 32, 0, NONE));
        add(34, 11, NONE, group(3, 32, 0, NONE));
        add(35, 11, NONE, group(3, 24, 0, new int[]{8, 19}));
        add(37, 11, NONE, group(3, 16, 0, NONE));
        add(38, 59, NONE, group(3, 22, 0, NONE));
        add(39, 35, NONE, group(3, 32, 0, NONE));
        add(41, 213, new int[]{6, 211}, group(3, 9, 0, NONE), group(3, 4, 0, NONE), group(3, 4, 0, NONE),
            group(3, 5, 0, NONE), group(3, 24, 0, NONE), group(3, 24, 7, NONE));
        add(42, 11, NONE, group(3, 32, 0, new int[]{7, 26}), group(8, 16, 0, NONE));
        add(43, 11, NONE, group(3, 40, 0, NONE));
        add(44, 28, NONE, group(3, 29, 0, NONE));
        add(46, 11, NONE, group(3, 32, 0, NONE), group(8, 24, 0, NONE));
        add(47, 11, NONE, group(3, 40, 0, NONE));
        add(48, 11, NONE, group(3, 32, 0, NONE), group(8, 16, 0, NONE));
        add(49, 11, NONE, group(3, 32, 0, NONE));
        add(50, 11, NONE, group(3, 32, 0, NONE));
        add(51, 11, NONE, group(3, 24, 0, NONE));
        add(52, 59, NONE, group(3, 22, 0, NONE));
        add(53, 28, NONE, group(3, 29, 0, NONE));
        add(54, 216, NONE, group(3, 9, 0, NONE), group(3, 4, 0, NONE), group(3, 4, 0, NONE), group(3, 5, 0, NONE));
        add(55, 213, NONE, group(3, 9, 0, NONE), group(3, 4, 0, NONE), group(3, 4, 0, NONE), group(3, 5, 0, NONE),
            group(3, 24, 0, NONE), group(3, 24, 0, NONE));
        add(56, 195, NONE, group(3, 9, 0, NONE), group(3, 4, 0, NONE), group(3, 4, 0, NONE), group(3, 5, 0, NONE),
            group(3, 18, 0, NONE));

        // The schema version each template first appeared in (its message-level sinceVersion).
        since(2, 27, 29, 30, 32, 33, 34, 35, 37, 38);
        since(3, 39, 41);
        since(5, 42);
        since(7, 43, 44);
        since(9, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56);
    }

    private static void since(final int version, final int... templateIds)
    {
        for (final int templateId : templateIds)
        {
            TEMPLATE_SINCE[templateId] = version;
        }
    }

    private Mdp3Layout()
    {
    }

    /**
     * @param templateId a known MDP3 template id.
     * @return the schema version the template first appeared in (0 when it has always been there).
     */
    public static int templateSince(final int templateId)
    {
        return TEMPLATE_SINCE[templateId];
    }

    /**
     * @param templateId an MDP3 template id.
     * @return true when the generated schema has it.
     */
    public static boolean isKnown(final int templateId)
    {
        return templateId >= 0 && templateId <= MAX_TEMPLATE_ID && null != GROUPS[templateId];
    }

    /**
     * @param templateId a known template id.
     * @return the root block length of the generated (version 9) schema.
     */
    public static int rootBlockLength(final int templateId)
    {
        return ROOT_BLOCK_LENGTH[templateId];
    }

    /**
     * @param templateId a known template id.
     * @return number of repeating groups.
     */
    public static int groupCount(final int templateId)
    {
        return GROUPS[templateId].length;
    }

    /**
     * @param templateId a known template id.
     * @param group group index.
     * @return {dimension header size, entry block length, sinceVersion, appended fields as (since, offset) pairs...}.
     */
    public static int[] group(final int templateId, final int group)
    {
        return GROUPS[templateId][group];
    }

    /**
     * @param templateId a known template id.
     * @return appended root fields as (since, offset) pairs.
     */
    public static int[] rootSince(final int templateId)
    {
        return ROOT_SINCE[templateId];
    }

    /**
     * Check that a message's blocks hold the fields of its acting version and that its groups end inside it.
     *
     * @param buffer holding the message.
     * @param rootOffset offset of the root block (after the SBE header).
     * @param end offset just past the message.
     * @param templateId from the SBE header.
     * @param actingBlockLength root block length from the SBE header.
     * @param actingVersion schema version from the SBE header.
     * @return {@link #OK} or the reason the message cannot be decoded.
     */
    public static int check(
        final DirectBuffer buffer,
        final int rootOffset,
        final int end,
        final int templateId,
        final int actingBlockLength,
        final int actingVersion)
    {
        if (!isKnown(templateId))
        {
            return UNKNOWN_TEMPLATE;
        }
        if (actingVersion < TEMPLATE_SINCE[templateId])
        {
            // Older than the template itself: the generated getters would return null for its fields.
            return VERSION_BEFORE_TEMPLATE;
        }
        if (actingBlockLength < required(ROOT_BLOCK_LENGTH[templateId], ROOT_SINCE[templateId], actingVersion))
        {
            return SHORT_ROOT_BLOCK;
        }

        long position = (long)rootOffset + actingBlockLength;
        if (position > end)
        {
            return PAST_END;
        }
        for (final int[] group : GROUPS[templateId])
        {
            if (actingVersion < group[2])
            {
                continue;
            }
            final int headerSize = group[0];
            if (position + headerSize > end)
            {
                return PAST_END;
            }
            final int at = (int)position;
            final int blockLength = buffer.getShort(at, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            final int count = buffer.getByte(at + headerSize - 1) & 0xFF;
            if (blockLength < required(group[1], group, 3, actingVersion))
            {
                return SHORT_GROUP_BLOCK;
            }
            position += headerSize + (long)blockLength * count;
            if (position > end)
            {
                return PAST_END;
            }
        }
        return OK;
    }

    /**
     * @param reason a {@link #check} result other than {@link #OK}.
     * @return a constant description for error reports.
     */
    public static String describe(final int reason)
    {
        switch (reason)
        {
            case UNKNOWN_TEMPLATE:
                return "MDP3 template not in schema version 9";
            case SHORT_ROOT_BLOCK:
                return "MDP3 root block shorter than its version's fields";
            case SHORT_GROUP_BLOCK:
                return "MDP3 group entry shorter than its version's fields";
            case PAST_END:
                return "MDP3 groups run past the end of the message";
            case VERSION_BEFORE_TEMPLATE:
                return "MDP3 message version older than its template";
            default:
                return "MDP3 message malformed";
        }
    }

    private static int required(final int blockLength, final int[] since, final int actingVersion)
    {
        return required(blockLength, since, 0, actingVersion);
    }

    private static int required(final int blockLength, final int[] pairs, final int from, final int actingVersion)
    {
        int required = blockLength;
        for (int i = from; i + 1 < pairs.length; i += 2)
        {
            if (actingVersion < pairs[i])
            {
                required = Math.min(required, pairs[i + 1]);
            }
        }
        return required;
    }

    private static int[] group(final int headerSize, final int blockLength, final int since, final int[] fields)
    {
        final int[] group = new int[3 + fields.length];
        group[0] = headerSize;
        group[1] = blockLength;
        group[2] = since;
        System.arraycopy(fields, 0, group, 3, fields.length);
        return group;
    }

    private static void add(final int templateId, final int blockLength, final int[] rootSince, final int[]... groups)
    {
        ROOT_BLOCK_LENGTH[templateId] = blockLength;
        ROOT_SINCE[templateId] = rootSince;
        GROUPS[templateId] = groups;
    }
}
