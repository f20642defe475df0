package io.tickbus.sequencer;

import io.aeron.cluster.ClusterMember;

/**
 * The cluster's member list, written either as Aeron's own string
 * ({@code 0,ingress,consensus,log,catchup,archive|1,...}) or in Tickbus's short form: one {@code host:portBase}
 * per member, comma separated, member ids in order from 0. A member of the short form uses five ports from its
 * base: ingress +0, consensus +1, log +2, catch-up +3, archive control +4.
 * <p>
 * Stateless and thread safe; allocates while parsing only.
 */
public final class ClusterMembers
{
    /** Ports a member uses from its base in the short form. */
    public static final int PORTS_PER_MEMBER = 5;

    private ClusterMembers()
    {
    }

    /**
     * @param members either form.
     * @return Aeron's cluster members string.
     * @throws IllegalArgumentException naming the bad entry.
     */
    public static String toAeron(final String members)
    {
        if (null == members || members.isBlank())
        {
            throw new IllegalArgumentException("cluster members are required, e.g. 127.0.0.1:43000,127.0.0.1:43010");
        }
        final String trimmed = members.trim();
        final String aeron;
        if (trimmed.contains("|") || trimmed.matches("^\\d+,.*"))
        {
            aeron = trimmed;
        }
        else
        {
            final StringBuilder sb = new StringBuilder();
            final String[] entries = trimmed.split(",");
            for (int id = 0; id < entries.length; id++)
            {
                final String entry = entries[id].trim();
                final int colon = entry.lastIndexOf(':');
                if (colon <= 0)
                {
                    throw new IllegalArgumentException("cluster member '" + entry + "' is not host:portBase");
                }
                final String host = entry.substring(0, colon);
                final int base;
                try
                {
                    base = Integer.parseInt(entry.substring(colon + 1));
                }
                catch (final NumberFormatException ex)
                {
                    throw new IllegalArgumentException("cluster member '" + entry + "': port base is not a number");
                }
                if (base < 1 || base + PORTS_PER_MEMBER - 1 > 65535)
                {
                    throw new IllegalArgumentException("cluster member '" + entry + "': port base out of range");
                }
                if (id > 0)
                {
                    sb.append('|');
                }
                sb.append(id);
                for (int p = 0; p < PORTS_PER_MEMBER; p++)
                {
                    sb.append(',').append(host).append(':').append(base + p);
                }
            }
            aeron = sb.toString();
        }
        parse(aeron);
        return aeron;
    }

    /**
     * @param members either form.
     * @return the client's ingress endpoints, {@code 0=host:port,1=host:port,...}.
     */
    public static String ingressEndpoints(final String members)
    {
        return ClusterMember.ingressEndpoints(parse(toAeron(members)));
    }

    /**
     * @param members either form.
     * @return how many members.
     */
    public static int count(final String members)
    {
        return parse(toAeron(members)).length;
    }

    /**
     * @param members either form.
     * @param memberId a member.
     * @return the host of that member's endpoints.
     * @throws IllegalArgumentException when no member has that id.
     */
    public static String host(final String members, final int memberId)
    {
        for (final ClusterMember member : parse(toAeron(members)))
        {
            if (member.id() == memberId)
            {
                final String endpoint = member.consensusEndpoint();
                return endpoint.substring(0, endpoint.lastIndexOf(':'));
            }
        }
        throw new IllegalArgumentException("member id " + memberId + " is not in the cluster members " + members);
    }

    /**
     * @param members either form.
     * @param memberId a member.
     * @return that member's archive control endpoint.
     */
    public static String archiveEndpoint(final String members, final int memberId)
    {
        for (final ClusterMember member : parse(toAeron(members)))
        {
            if (member.id() == memberId)
            {
                return member.archiveEndpoint();
            }
        }
        throw new IllegalArgumentException("member id " + memberId + " is not in the cluster members " + members);
    }

    private static ClusterMember[] parse(final String aeron)
    {
        try
        {
            final ClusterMember[] parsed = ClusterMember.parse(aeron);
            if (0 == parsed.length)
            {
                throw new IllegalArgumentException("no cluster members in '" + aeron + "'");
            }
            return parsed;
        }
        catch (final RuntimeException ex)
        {
            if (ex instanceof IllegalArgumentException)
            {
                throw ex;
            }
            throw new IllegalArgumentException("invalid cluster members '" + aeron + "': " + ex.getMessage());
        }
    }
}
