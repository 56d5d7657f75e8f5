using System.ComponentModel;
using Beacon.Hosting;
using Beacon.Hosting.Options;

namespace Beacon.NodeAgent;

/// <summary>Options of the NodeAgent. Common options (Http, Log) and the Nats section live elsewhere.</summary>
public sealed class NodeAgentOptions : IValidatableOptions
{
    [Description("This node's name as peers and Kubernetes know it; defaults to NODE_NAME, else the host name.")]
    public string NodeName { get; set; } = NodeNames.Default();

    [Description("Interface local addresses are added to; \"default\" means the interface of the default route.")]
    public string Interface { get; set; } = "default";

    [Description("Dummy interface that holds non-local addresses for the routing daemon to announce (created if missing).")]
    public string DummyInterface { get; set; } = "kube-lb0";

    [Description("How often this agent tells its peers (the agents sharing one of its subnets) it is alive.")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    [Description("Interval of the cluster-wide liveness heartbeat read by the Allocator and beaconctl (election uses the per-subnet heartbeats above).")]
    public TimeSpan LivenessInterval { get; set; } = TimeSpan.FromSeconds(1);

    [Description("Heartbeats a peer may miss before it is considered dead and its addresses move.")]
    public int MissedHeartbeats { get; set; } = 3;

    [Description("Valid lifetime of local addresses, refreshed while the agent lives, so a dead agent's addresses expire (whole seconds).")]
    public TimeSpan AddressLifetime { get; set; } = TimeSpan.FromSeconds(10);

    [Description("Gratuitous ARP / unsolicited neighbor advertisements sent when this node wins an address.")]
    public int GratuitousCount { get; set; } = 3;

    [Description("Pause between gratuitous announcements.")]
    public TimeSpan GratuitousInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    [Description("Before taking over an address whose owner fell silent, wait this long for an ARP reply from it (an owner that only lost its bus still answers; it keeps the address then). 0 turns the probe off.")]
    public TimeSpan TakeoverProbeTimeout { get; set; } = TimeSpan.FromMilliseconds(30);

    [Description("This node's labels as key=value pairs, comma-separated (the agent does not read Kubernetes; heartbeats carry them).")]
    public List<string> NodeLabels { get; set; } = [];

    [Description("LBNodeAgent node selector as key=value pairs that must all match this node's labels; empty selects every node.")]
    public List<string> NodeSelector { get; set; } = [];

    [Description("At start, wait at most this long for the LBNodeAgent settings the Allocator publishes (applied before any address is claimed); without them by then the agent starts with its options and applies them when they arrive. 0 does not wait.")]
    public TimeSpan NodeConfigWait { get; set; } = TimeSpan.FromSeconds(5);

    [Description("Lab/testing only: obey beaconctl fail-node (set the interface down and kill this agent). Never enable in production.")]
    public bool LabCommands { get; set; }

    public NodeAgentNatsOptions Nats { get; set; } = new();

    public void Validate(OptionProblems problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        NodeNames.Validate(problems, nameof(NodeName), NodeName);
        problems.RequireNotBlank(nameof(Interface), Interface, "name an interface such as eth0, or use default for the default-route interface");
        problems.RequireNotBlank(nameof(DummyInterface), DummyInterface, "use kube-lb0 unless your routing daemon expects another name");
        if (DummyInterface.Length > 15)
            problems.Add(nameof(DummyInterface), $"'{DummyInterface}' is longer than Linux's 15-character interface name limit", "choose a shorter name such as kube-lb0");
        problems.RequirePositive(nameof(HeartbeatInterval), HeartbeatInterval, "50ms");
        problems.RequireRange(nameof(MissedHeartbeats), MissedHeartbeats, 1, 100);
        problems.RequirePositive(nameof(LivenessInterval), LivenessInterval, "1s");
        if (LivenessInterval > TimeSpan.FromSeconds(2))
            problems.Add(nameof(LivenessInterval), $"must be at most 2s (the Allocator counts an agent silent for 5 s as dead, beaconctl nodes listens 1.5 s), but is {DurationText.Format(LivenessInterval)}", "use 1s");
        if (AddressLifetime < TimeSpan.FromSeconds(2))
            problems.Add(nameof(AddressLifetime), $"must be at least 2s (the kernel counts lifetimes in whole seconds), but is {DurationText.Format(AddressLifetime)}", "set a lifetime such as 10s");
        else if (AddressLifetime <= HeartbeatInterval * MissedHeartbeats)
            problems.Add(nameof(AddressLifetime), $"must outlast peer failure detection ({DurationText.Format(HeartbeatInterval * MissedHeartbeats)}), but is {DurationText.Format(AddressLifetime)}", "raise --address-lifetime or shorten --heartbeat-interval");
        problems.RequireRange(nameof(GratuitousCount), GratuitousCount, 0, 100);
        problems.RequireNotNegative(nameof(GratuitousInterval), GratuitousInterval);
        problems.RequireNotNegative(nameof(TakeoverProbeTimeout), TakeoverProbeTimeout);
        problems.RequireNotNegative(nameof(NodeConfigWait), NodeConfigWait);
        if (TakeoverProbeTimeout >= HeartbeatInterval * MissedHeartbeats && HeartbeatInterval > TimeSpan.Zero)
            problems.Add(nameof(TakeoverProbeTimeout), $"must be shorter than peer failure detection ({DurationText.Format(HeartbeatInterval * MissedHeartbeats)}), but is {DurationText.Format(TakeoverProbeTimeout)}", "lower --takeover-probe-timeout (30ms is the default) or 0 to turn the probe off");
        if (!Domain.LabelRequirements.TryParse(NodeLabels, out _, out var badLabel))
            problems.Add(nameof(NodeLabels), $"'{badLabel}' is not key=value", "write labels like zone=a,rack=3");
        if (!Domain.LabelRequirements.TryParse(NodeSelector, out _, out var badSelector))
            problems.Add(nameof(NodeSelector), $"'{badSelector}' is not key=value", "write the selector like zone=a");
    }
}
