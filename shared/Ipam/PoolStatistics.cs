using System.Numerics;

namespace Beacon.Ipam;

/// <summary>Usage of one pool. <see cref="Size"/> is a BigInteger because an IPv6 /64 holds 2^64 addresses.</summary>
public sealed record PoolStatistics(string Group, string Pool, IpFamily Family, BigInteger Size, long Used)
{
    /// <summary>Addresses that can still be handed out; shared addresses count once in <see cref="Used"/>.</summary>
    public BigInteger Free => Size - Used;
}
