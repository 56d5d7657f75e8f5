using System.Net;

namespace Beacon.Ipam;

/// <summary>An address a Service holds (or had in its status) that is no longer valid, and why.</summary>
public sealed record StaleAddress(IPAddress Address, string Reason)
{
    public override string ToString() => $"{Address}: {Reason}";
}
