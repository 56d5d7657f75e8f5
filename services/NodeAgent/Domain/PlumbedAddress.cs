using System.Net;

namespace Beacon.NodeAgent.Domain;

/// <summary>An address on an interface: the unit the agent adds, refreshes and removes.</summary>
public readonly record struct PlumbedAddress(IPAddress Address, int PrefixLength, string Interface)
{
    public override string ToString() => $"{Address}/{PrefixLength} dev {Interface}";
}
