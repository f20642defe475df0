package io.tickbus.tools.stat;

import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.ElectionState;
import io.aeron.cluster.service.Cluster;

/**
 * The state of one Aeron Cluster member on this driver (one per cluster id), from the consensus module's counters:
 * role, commit position, election state, module state, leadership term and elections.
 * <p>
 * Threading: owned by the thread of its table. Allocation: none per refresh.
 */
public final class ClusterStats
{
    private static final Cluster.Role[] ROLES = Cluster.Role.values();
    private static final ElectionState[] ELECTION_STATES = ElectionState.values();
    private static final ConsensusModule.State[] MODULE_STATES = ConsensusModule.State.values();

    final int clusterId;
    final String prometheusLabels;
    long generation;
    long role = -1;
    long commitPosition = -1;
    long electionState = -1;
    long moduleState = -1;
    long leadershipTermId = -1;
    long elections = -1;
    long previousCommitPosition;
    boolean hasPrevious;

    ClusterStats(final int clusterId)
    {
        this.clusterId = clusterId;
        this.prometheusLabels = "cluster_id=\"" + clusterId + "\"";
    }

    void reset()
    {
        previousCommitPosition = commitPosition;
        hasPrevious = commitPosition >= 0;
        role = -1;
        commitPosition = -1;
        electionState = -1;
        moduleState = -1;
        leadershipTermId = -1;
        elections = -1;
    }

    /** @return consensus module state code, -1 when unknown. */
    public long moduleState()
    {
        return moduleState;
    }

    /** @return election state code, -1 when unknown. */
    public long electionState()
    {
        return electionState;
    }

    /** @return cluster id. */
    public int clusterId()
    {
        return clusterId;
    }

    /** @return role name (FOLLOWER, CANDIDATE, LEADER) or "-" when unknown. */
    public String roleName()
    {
        return role >= 0 && role < ROLES.length ? Cluster.Role.get(role).name() : "-";
    }

    /** @return role code (0 follower, 1 candidate, 2 leader), -1 when unknown. */
    public long role()
    {
        return role;
    }

    /** @return commit position, -1 when unknown. */
    public long commitPosition()
    {
        return commitPosition;
    }

    /** @return election state name or "-". */
    public String electionStateName()
    {
        return electionState >= 0 && electionState < ELECTION_STATES.length ?
            ElectionState.get(electionState).name() : "-";
    }

    /** @return consensus module state name or "-". */
    public String moduleStateName()
    {
        return moduleState >= 0 && moduleState < MODULE_STATES.length ?
            ConsensusModule.State.get(moduleState).name() : "-";
    }

    /** @return leadership term id, -1 when unknown. */
    public long leadershipTermId()
    {
        return leadershipTermId;
    }

    /** @return elections held, -1 when unknown. */
    public long elections()
    {
        return elections;
    }
}
