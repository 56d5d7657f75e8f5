using System.Net;

namespace Beacon.Ipam;

/// <summary>
/// One address a Service holds, with what the node agent needs to plumb it: the group and pool it came from, the
/// pool's <see cref="Subnet"/> and the <see cref="PrefixLength"/> to add it with (the pool's <c>aggregation</c>).
/// The engine does not know node networks: a node agent treats the address as local (put on the node's interface)
/// when <see cref="Subnet"/> is the subnet of one of its interfaces, and as non-local (on <c>kube-lb0</c>) otherwise.
/// <see cref="Group"/>, <see cref="Pool"/> and <see cref="Subnet"/> are null only for a stale address outside every pool.
/// </summary>
public sealed record AllocatedAddress(
    IPAddress Address,
    IpFamily Family,
    string? Group,
    string? Pool,
    IpSubnet? Subnet,
    int PrefixLength,
    bool Shared)
{
    public override string ToString() => $"{Address}/{PrefixLength} ({Pool ?? "no pool"})";
}
