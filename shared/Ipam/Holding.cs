namespace Beacon.Ipam;

/// <summary>One address in use: the Services holding it (sorted, for deterministic messages) and where it lives.</summary>
internal sealed class Holding
{
    public Holding(NumericAddress address) => Address = address;

    public NumericAddress Address { get; }

    public PoolState? Pool { get; set; }

    public RangeAllocator? Range { get; set; }

    public List<ServiceKey> Holders { get; } = new(1);

    /// <summary>The sharing key under which this address is listed in the engine's sharing index, if any.</summary>
    public string? IndexedKey { get; set; }

    public void AddHolder(ServiceKey key)
    {
        var at = Holders.BinarySearch(key);
        if (at < 0)
        {
            Holders.Insert(~at, key);
        }
    }
}
