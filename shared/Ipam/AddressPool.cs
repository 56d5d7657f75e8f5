using System.Numerics;

namespace Beacon.Ipam;

/// <summary>
/// One validated pool of a group: a subnet, the ranges inside it that may be handed out (ascending, disjoint), and the
/// prefix length the address is announced with (<c>aggregation</c>: <c>default</c> means the subnet's prefix).
/// </summary>
public sealed class AddressPool
{
    public AddressPool(string id, string groupName, IpSubnet subnet, IReadOnlyList<AddressRange> ranges, int prefixLength, bool avoidBuggyIPs)
    {
        ArgumentNullException.ThrowIfNull(subnet);
        ArgumentNullException.ThrowIfNull(ranges);
        Id = id;
        GroupName = groupName;
        Subnet = subnet;
        Ranges = ranges.OrderBy(r => r.First.Value).ToList();
        PrefixLength = prefixLength;
        AvoidBuggyIPs = avoidBuggyIPs && subnet.Family == IpFamily.IPv4;
    }

    /// <summary>Stable name used in statistics and outcomes, e.g. <c>web/v4pools[1]</c>.</summary>
    public string Id { get; }

    public string GroupName { get; }

    public IpFamily Family => Subnet.Family;

    public IpSubnet Subnet { get; }

    public IReadOnlyList<AddressRange> Ranges { get; }

    public int PrefixLength { get; }

    public bool AvoidBuggyIPs { get; }

    public bool Contains(NumericAddress address)
    {
        foreach (var range in Ranges)
        {
            if (range.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Inside a range and not excluded by <c>avoidBuggyIPs</c>.</summary>
    public bool CanHandOut(NumericAddress address) => Contains(address) && !(AvoidBuggyIPs && address.IsBuggyIPv4);

    /// <summary>How many addresses this pool can hand out (excluding .0/.255 under <c>avoidBuggyIPs</c>).</summary>
    public BigInteger Size => Ranges.Aggregate(BigInteger.Zero, (sum, r) => sum + r.Size - (AvoidBuggyIPs ? BuggyCount(r) : 0));

    private static BigInteger BuggyCount(AddressRange range)
    {
        // Counts x in [first, last] with x mod 256 in {0, 255}: numbers of that form up to n, minus those below first.
        static BigInteger UpTo(BigInteger n) => n < 0 ? 0 : (n / 256) + 1 + ((n - 255) < 0 ? 0 : ((n - 255) / 256) + 1);
        return UpTo((BigInteger)range.Last.Value) - UpTo((BigInteger)range.First.Value - 1);
    }

    public override string ToString() => Id;
}
