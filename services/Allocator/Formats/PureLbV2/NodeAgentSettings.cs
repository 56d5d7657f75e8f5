using Beacon.Ipam;

namespace Beacon.Allocator.Formats.PureLbV2;

/// <summary>
/// What an LBNodeAgent (v1 or v2) asks of the node agents it selects, in Beacon's terms: the node agent options
/// <c>--interface</c>, <c>--dummy-interface</c>, the gratuitous ARP/NA burst and the address lifetime.
/// </summary>
internal sealed record NodeAgentSettings(
    LabelSelector NodeSelector,
    string LocalInterface,
    string DummyInterface,
    IReadOnlyList<string> ExtraInterfaces,
    bool SendGarp,
    int GarpCount,
    TimeSpan GarpInterval,
    TimeSpan GarpInitialDelay,
    TimeSpan? LocalValidLifetime);
