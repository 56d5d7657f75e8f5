using Beacon.Contracts;
using Beacon.NodeAgent.Domain;
using Beacon.Networking.Packets;
using Prometheus;

namespace Beacon.NodeAgent.Agent;

/// <summary>The node agent's Prometheus metrics.</summary>
public sealed class AgentMetrics
{
    private readonly Gauge _held;
    private readonly Counter _roleChanges;
    private readonly Counter _plumbingErrors;
    private readonly Gauge _peers;
    private readonly Counter _reconciles;
    private readonly Counter _conflicts;
    private readonly Counter _defences;
    private readonly Counter _conflictFramesIgnored;
    private readonly Counter _reannouncements;

    public AgentMetrics(IMetricFactory metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _held = metrics.CreateGauge("beacon_nodeagent_addresses", "Addresses this node holds, by role (owner: won node-local address; member: kube-lb0).", ["role"]);
        _roleChanges = metrics.CreateCounter("beacon_nodeagent_election_changes_total", "Addresses this node started or stopped holding, by new role.", ["role"]);
        _plumbingErrors = metrics.CreateCounter("beacon_nodeagent_plumbing_errors_total", "Kernel address operations that failed, by operation.", ["operation"]);
        _peers = metrics.CreateGauge("beacon_nodeagent_live_peers", "Live nodes in this agent's membership view, itself included.");
        _reconciles = metrics.CreateCounter("beacon_nodeagent_reconciles_total", "Reconcile passes run.");
        _conflicts = metrics.CreateCounter("beacon_nodeagent_address_conflicts_total",
            "ARP/NDP frames from another MAC claiming an address this node owned, by family and outcome (defended, deferred, suppressed, given_up, not_owned).", ["address_family", "outcome"]);
        _defences = metrics.CreateCounter("beacon_nodeagent_address_defences_total", "Defending gratuitous ARPs / unsolicited NAs sent, by family.", ["address_family"]);
        _reannouncements = metrics.CreateCounter("beacon_nodeagent_address_reannouncements_total",
            "Gratuitous ARPs / unsolicited NAs sent once for a contested owned address when the peer that also held it reported letting it go, by family.", ["address_family"]);
        _conflictFramesIgnored = metrics.CreateCounter("beacon_nodeagent_conflict_frames_ignored_total", "Malformed frames the address conflict watch dropped, by reason.", ["reason"]);
    }

    public void Held(int owner, int member)
    {
        _held.WithLabels("owner").Set(owner);
        _held.WithLabels("member").Set(member);
    }

    public void RoleChanged(AnnouncementRole role) => _roleChanges.WithLabels(role.ToString().ToLowerInvariant()).Inc();

    public void PlumbingFailed(string operation) => _plumbingErrors.WithLabels(operation).Inc();

    public void LivePeers(int count) => _peers.Set(count);

    public void Reconciled() => _reconciles.Inc();

    public void AddressConflict(string family, DefenceOutcome outcome) => _conflicts.WithLabels(family, outcome switch
    {
        DefenceOutcome.Defended => "defended",
        DefenceOutcome.Deferred => "deferred",
        DefenceOutcome.Suppressed => "suppressed",
        DefenceOutcome.GaveUp or DefenceOutcome.GivenUp => "given_up",
        _ => "not_owned",
    }).Inc();

    public void AddressDefended(string family) => _defences.WithLabels(family).Inc();

    public void AddressReannounced(string family) => _reannouncements.WithLabels(family).Inc();

    public void ConflictFrameIgnored(FrameRejection reason) => _conflictFramesIgnored.WithLabels(reason.ToString()).Inc();
}
