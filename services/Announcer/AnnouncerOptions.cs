using System.ComponentModel;
using Beacon.Hosting;
using Beacon.Hosting.Options;

namespace Beacon.Announcer;

/// <summary>Options of the Announcer. Common options (Http, Log) and the Nats section live elsewhere.</summary>
public sealed class AnnouncerOptions : IValidatableOptions
{
    [Description("Required. l2 answers ARP/NDP; bird, frr and gobgp hand routes to that routing daemon.")]
    public AnnouncerMode? Mode { get; set; }

    [Description("This node's name; defaults to NODE_NAME, else the host name.")]
    public string NodeName { get; set; } = NodeNames.Default();

    [Description("This node's labels, key=value, comma-separated: the node selectors of BGP peers and advertisements from resources are matched against them.")]
    public List<string> NodeLabels { get; set; } = [];

    [Description("Interfaces to announce on (l2 mode); empty means the interface of the default route.")]
    public List<string> Interfaces { get; set; } = [];

    /// <summary>bird mode: include file and control socket (section Bird).</summary>
    public Modes.Bird.BirdModeOptions Bird { get; set; } = new();

    /// <summary>frr mode: how vtysh reaches FRR (section Frr).</summary>
    public Modes.Frr.FrrModeOptions Frr { get; set; } = new();

    /// <summary>gobgp mode: how the gobgp CLI reaches gobgpd (section Gobgp).</summary>
    public Modes.GoBgp.GoBgpModeOptions Gobgp { get; set; } = new();

    /// <summary>BGP attributes of every route the routing modes announce (section Bgp).</summary>
    public Modes.BgpAttributeOptions Bgp { get; set; } = new();

    /// <summary>How the announcer reaches NATS (section Nats).</summary>
    public Service.AnnouncerNatsOptions Nats { get; set; } = new();

    /// <summary>This node's labels as a dictionary (valid after <see cref="Validate"/>).</summary>
    public IReadOnlyDictionary<string, string> Labels() =>
        NodeLabels.Where(l => l.IndexOf('=', StringComparison.Ordinal) > 0)
            .Select(l => (Key: l[..l.IndexOf('=', StringComparison.Ordinal)].Trim(), Value: l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim()))
            .GroupBy(l => l.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);

    public void Validate(OptionProblems problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        problems.RequireSet(nameof(Mode), Mode, "choose one of --mode l2, --mode bird, --mode frr or --mode gobgp");
        NodeNames.Validate(problems, nameof(NodeName), NodeName);
        if (NodeLabels.FirstOrDefault(l => l.IndexOf('=', StringComparison.Ordinal) <= 0) is { } badLabel)
            problems.Add(nameof(NodeLabels), $"'{badLabel}' is not key=value", "write labels like zone=a,rack=3 (the node's Kubernetes labels)");
        if (Interfaces.Any(string.IsNullOrWhiteSpace))
            problems.Add(nameof(Interfaces), "contains an empty interface name", "list interface names separated by commas, e.g. eth0,eth1");
    }
}
