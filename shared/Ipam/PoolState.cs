namespace Beacon.Ipam;

/// <summary>Runtime state of one <see cref="AddressPool"/>: a <see cref="RangeAllocator"/> per range, lowest range first.</summary>
internal sealed class PoolState
{
    public PoolState(AddressPool pool)
    {
        Pool = pool;
        Ranges = pool.Ranges.Select(r => new RangeAllocator(r, pool.AvoidBuggyIPs)).ToArray();
    }

    public AddressPool Pool { get; }

    public RangeAllocator[] Ranges { get; }

    public long Used => Ranges.Sum(r => (long)r.UsedCount);

    public RangeAllocator? RangeContaining(NumericAddress address)
    {
        foreach (var range in Ranges)
        {
            if (range.Contains(address))
            {
                return range;
            }
        }

        return null;
    }

    public bool TryPeekLowestFree(out NumericAddress address, out RangeAllocator range)
    {
        foreach (var candidate in Ranges)
        {
            if (candidate.TryPeekLowestFree(out address))
            {
                range = candidate;
                return true;
            }
        }

        address = default;
        range = null!;
        return false;
    }
}
