namespace Beacon.Ipam;

/// <summary>
/// The addresses of one Service checked so far, in order: a Service holds one address per family, or, under multiPool,
/// one per pool of a single group. Allocates nothing unless multiPool is in play (the check runs on every allocation).
/// </summary>
internal struct SeenAddresses
{
    private int single;
    private int multi;
    private List<PoolState>? pools;

    /// <summary>Whether the address may be held beside those seen so far; records it when so.</summary>
    public bool Admit(IpFamily family, PoolState? pool, bool multiPool)
    {
        var bit = 1 << (int)family;
        if ((single & bit) != 0)
        {
            return false;
        }

        if (!multiPool || pool is null)
        {
            if ((multi & bit) != 0)
            {
                return false;
            }

            single |= bit;
            return true;
        }

        if ((multi & bit) != 0)
        {
            foreach (var seen in pools!)
            {
                if (seen == pool || (seen.Pool.Family == family && !string.Equals(seen.Pool.GroupName, pool.Pool.GroupName, StringComparison.Ordinal)))
                {
                    return false;
                }
            }
        }

        multi |= bit;
        (pools ??= []).Add(pool);
        return true;
    }
}
