namespace Beacon.Contracts;

/// <summary>
/// Every NATS subject Beacon uses. The version token (<c>v1</c>) changes only with an incompatible contract change;
/// names and namespaces are encoded with <see cref="SubjectToken"/>. See docs/events.md.
/// </summary>
public static class Subjects
{
    public const string Root = "beacon.v1";

    /// <summary>All allocation changes and releases (wildcard for subscribers).</summary>
    public const string AllAllocations = Root + ".allocations.>";

    /// <summary>
    /// All nodes' cluster-wide liveness heartbeats (wildcard for subscribers), sent at the slower
    /// <c>--liveness-interval</c>; election uses the scoped heartbeats (<see cref="ScopedHeartbeat"/>) instead.
    /// </summary>
    public const string AllHeartbeats = Root + ".nodes.*.heartbeat";

    /// <summary>All announcements (wildcard for subscribers).</summary>
    public const string AllAnnouncements = Root + ".announcements.*";

    /// <summary>Request/reply for beaconctl: services, addresses and owners.</summary>
    public const string QueryStatus = Root + ".query.status";

    /// <summary>Request/reply for beaconctl: why a service got (or did not get) an address and owner.</summary>
    public const string QueryExplain = Root + ".query.explain";

    /// <summary>Request/reply for beaconctl: nodes, their heartbeats and eligibility.</summary>
    public const string QueryNodes = Root + ".query.nodes";

    /// <summary>Every node's status (wildcard; also the subjects of the BEACON_NODES stream).</summary>
    public const string AllNodeStatuses = Root + ".nodes.*.status";

    /// <summary>
    /// <c>beacon.v1.bgp.peers</c>: the cluster's whole set of BGP peers (<see cref="BgpPeerSet"/>), published only by the
    /// Allocator and kept as the last value of the BEACON_BGP_PEERS stream.
    /// </summary>
    public const string BgpPeers = Root + ".bgp.peers";

    /// <summary>
    /// <c>beacon.v1.nodeagent.config</c>: every accepted LBNodeAgent (<see cref="NodeAgentConfigSet"/>), published only by
    /// the Allocator and kept as the last value of the BEACON_NODEAGENT_CONFIG stream.
    /// </summary>
    public const string NodeAgentConfig = Root + ".nodeagent.config";

    /// <summary>All lab fault injections (wildcard for subscribers).</summary>
    public const string AllLabFailNode = Root + ".lab.fail-node.*";

    private const string AllocationsPrefix = Root + ".allocations.";
    private const string NodesPrefix = Root + ".nodes.";
    private const string HeartbeatSuffix = ".heartbeat";
    private const string StatusSuffix = ".status";
    private const string AnnouncementsPrefix = Root + ".announcements.";
    private const string LabFailNodePrefix = Root + ".lab.fail-node.";

    /// <summary><c>beacon.v1.allocations.&lt;namespace&gt;.&lt;service&gt;</c>: changes and releases of one Service.</summary>
    public static string Allocation(ServiceKey service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return AllocationsPrefix + SubjectToken.Encode(service.Namespace, "namespace") + "." + SubjectToken.Encode(service.Name, "service name");
    }

    /// <summary><c>beacon.v1.nodes.&lt;node&gt;.heartbeat</c>: published only by that node's agent.</summary>
    public static string Heartbeat(string node) => NodesPrefix + SubjectToken.Encode(node, "node name") + HeartbeatSuffix;

    /// <summary>
    /// <c>beacon.v1.nodes.&lt;node&gt;.heartbeat.&lt;scope&gt;</c>: that node's fast heartbeat for the peers of one membership
    /// scope (a subnet, see <see cref="MembershipScope"/>); published only by that node's agent, so the per-node publish
    /// permission <c>beacon.v1.nodes.&lt;node&gt;.&gt;</c> covers it.
    /// </summary>
    public static string ScopedHeartbeat(string node, string scope) =>
        NodesPrefix + SubjectToken.Encode(node, "node name") + HeartbeatSuffix + "." + MembershipScope.Validate(scope);

    /// <summary>
    /// What an agent subscribes to for one scope: every node's heartbeats in it
    /// (<c>beacon.v1.nodes.*.heartbeat.&lt;scope&gt;</c>); for <see cref="MembershipScope.Unplaced"/> only its own (the echo),
    /// since nodes without a subnet have nothing to elect together.
    /// </summary>
    public static string ScopeHeartbeats(string scope, string selfNode) =>
        scope == MembershipScope.Unplaced
            ? ScopedHeartbeat(selfNode, scope)
            : NodesPrefix + "*" + HeartbeatSuffix + "." + MembershipScope.Validate(scope);

    /// <summary>Parses <c>beacon.v1.nodes.&lt;node&gt;.heartbeat.&lt;scope&gt;</c>.</summary>
    public static bool TryParseScopedHeartbeat(string subject, out string node, out string scope)
    {
        node = "";
        scope = "";
        if (!TryTail(subject, NodesPrefix, "", out var tail))
        {
            return false;
        }

        var parts = tail.Split('.');
        if (parts.Length != 3 || parts[1] != HeartbeatSuffix[1..] || !MembershipScope.IsValid(parts[2]) || !SubjectToken.TryDecode(parts[0], out node))
        {
            node = "";
            return false;
        }

        scope = parts[2];
        return true;
    }

    /// <summary><c>beacon.v1.nodes.&lt;node&gt;.status</c>: that node's current holdings, kept as last value by JetStream.</summary>
    public static string NodeStatus(string node) => NodesPrefix + SubjectToken.Encode(node, "node name") + StatusSuffix;

    /// <summary><c>beacon.v1.announcements.&lt;node&gt;</c>: published only by that node's agent.</summary>
    public static string Announcements(string node) => AnnouncementsPrefix + SubjectToken.Encode(node, "node name");

    /// <summary><c>beacon.v1.lab.fail-node.&lt;node&gt;</c>: lab-only fault injection (beaconctl lab fail-node).</summary>
    public static string LabFailNode(string node) => LabFailNodePrefix + SubjectToken.Encode(node, "node name");

    public static bool TryParseAllocation(string subject, out ServiceKey service)
    {
        service = default!;
        if (!TryTail(subject, AllocationsPrefix, "", out var tail))
        {
            return false;
        }

        var parts = tail.Split('.');
        if (parts.Length != 2 || !SubjectToken.TryDecode(parts[0], out var ns) || !SubjectToken.TryDecode(parts[1], out var name))
        {
            return false;
        }

        service = new ServiceKey(ns, name);
        return true;
    }

    /// <summary>
    /// Whether <paramref name="subject"/> is <see cref="Allocation"/> of <paramref name="service"/>: the same answer as
    /// <see cref="TryParseAllocation"/> giving that Service, without copying the subject into new strings (a replica
    /// checks every message it receives).
    /// </summary>
    public static bool IsAllocationOf(string? subject, ServiceKey service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (subject is null || !subject.StartsWith(AllocationsPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var tail = subject.AsSpan(AllocationsPrefix.Length);
        var ns = service.Namespace.Length;
        return tail.Length == ns + 1 + service.Name.Length && tail[ns] == '.'
            && SubjectToken.Encodes(tail[..ns], service.Namespace) && SubjectToken.Encodes(tail[(ns + 1)..], service.Name);
    }

    public static bool TryParseHeartbeat(string subject, out string node) => TryParseNode(subject, NodesPrefix, HeartbeatSuffix, out node);

    public static bool TryParseNodeStatus(string subject, out string node) => TryParseNode(subject, NodesPrefix, StatusSuffix, out node);

    public static bool TryParseAnnouncements(string subject, out string node) => TryParseNode(subject, AnnouncementsPrefix, "", out node);

    public static bool TryParseLabFailNode(string subject, out string node) => TryParseNode(subject, LabFailNodePrefix, "", out node);

    private static bool TryParseNode(string subject, string prefix, string suffix, out string node)
    {
        node = "";
        return TryTail(subject, prefix, suffix, out var tail) && !tail.Contains('.', StringComparison.Ordinal) && SubjectToken.TryDecode(tail, out node);
    }

    private static bool TryTail(string? subject, string prefix, string suffix, out string tail)
    {
        tail = "";
        if (subject is null || subject.Length <= prefix.Length + suffix.Length
            || !subject.StartsWith(prefix, StringComparison.Ordinal) || !subject.EndsWith(suffix, StringComparison.Ordinal))
        {
            return false;
        }

        tail = subject[prefix.Length..^suffix.Length];
        return true;
    }
}
