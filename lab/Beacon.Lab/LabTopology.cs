using System.Globalization;

namespace Beacon.Lab;

/// <summary>
/// Names and addresses of one lab. Everything lives in namespaces named <c>PREFIX-role</c>; the root namespace is
/// never touched. Addresses come from 198.18.0.0/15 and fd00:beac::/32, used only inside the lab.
/// </summary>
public sealed record LabTopology(string Prefix, int NodeCount = 3)
{
    public const string LanV4Prefix = "198.18.10.";
    public const string LanV6Prefix = "fd00:beac:10::";
    public const int LanV4Length = 24;
    public const int LanV6Length = 64;
    public const uint RouterAsn = 65000;
    public const uint NodeAsn = 65010;
    public const int NatsPort = 4222;
    public const int AllocatorHttpPort = 9470;
    public const int NodeAgentHttpPort = 9471;
    public const int AnnouncerHttpPort = 9472;

    /// <summary>The default lab a user brings up with <c>./build.sh --target=Lab</c>.</summary>
    public static LabTopology Default { get; } = new("bcnlab");

    public string Switch => Prefix + "-sw";

    public string Router => Prefix + "-router";

    public string Control => Prefix + "-ctl";

    public string Client => Prefix + "-client";

    public IReadOnlyList<string> Nodes =>
        Enumerable.Range(1, NodeCount).Select(i => string.Create(CultureInfo.InvariantCulture, $"node{i}")).ToList();

    public IEnumerable<string> AllNamespaces => [Switch, Router, Control, Client, .. Nodes.Select(NodeNamespace)];

    public string NodeNamespace(string node) => Prefix + "-" + node;

    public static string RouterV4 => LanV4Prefix + "1";

    public static string RouterV6 => LanV6Prefix + "1";

    public static string ControlV4 => LanV4Prefix + "2";

    public static string ClientV4 => LanV4Prefix + "100";

    public static string ClientV6 => LanV6Prefix + "100";

    public static string NatsUrl => string.Create(CultureInfo.InvariantCulture, $"nats://{ControlV4}:{NatsPort}");

    public static string NodeV4(string node) => LanV4Prefix + (10 + NodeNumber(node)).ToString(CultureInfo.InvariantCulture);

    public static string NodeV6(string node) => LanV6Prefix + (10 + NodeNumber(node)).ToString(CultureInfo.InvariantCulture);

    public static int NodeNumber(string node) => int.Parse(node.AsSpan(4), NumberStyles.Integer, CultureInfo.InvariantCulture);
}
