using System.Net;
using System.Numerics;
using Beacon.Allocator.Formats.Status;
using Beacon.Ipam;

namespace Beacon.Allocator.Formats.OpenElb;

/// <summary>
/// An Eip's status exactly as OpenELB fills it (EIPController.updateEip/syncEip and ipam.assignIPFromEip): poolSize,
/// firstIP, lastIP, v4 from the address; used (address → "namespace/name", sharers joined by ';'), usage (addresses in
/// use) and occupied (usage ≥ poolSize) from the Services holding its addresses; ready when Beacon allocates from it.
/// Beacon adds a Ready condition that says why not. Pure.
/// </summary>
internal static class EipStatusBuilder
{
    /// <param name="address">The Eip's spec.address.</param>
    /// <param name="problems">Why Beacon does not allocate from it (empty: it does); each "field: problem".</param>
    /// <param name="conflict">Whether one of the problems is an overlap with an older resource.</param>
    /// <param name="assignments">Every Service's held addresses (the engine's assignments).</param>
    public static EipObservedStatus Build(
        string? address,
        IReadOnlyList<string> problems,
        bool conflict,
        IEnumerable<KeyValuePair<ServiceKey, IReadOnlyList<IPAddress>>> assignments,
        ReadyCondition? previous,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(assignments);
        if (!EipAddress.TryParse(address, out var range, out _))
        {
            return new EipObservedStatus(new EipStatus(), ReadyCondition.From(problems, conflict, previous, now, string.Empty));
        }

        var used = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        if (problems.Count == 0)
        {
            foreach (var (service, held) in assignments)
            {
                foreach (var ip in held)
                {
                    var numeric = NumericAddress.From(ip);
                    if (!range.Contains(numeric))
                    {
                        continue;
                    }

                    var key = numeric.ToString();
                    if (!used.TryGetValue(key, out var holders))
                    {
                        holders = new SortedSet<string>(StringComparer.Ordinal);
                        used[key] = holders;
                    }

                    holders.Add(service.ToString());
                }
            }
        }

        // OpenELB's counters are Go ints; an IPv6 range larger than that reads as the largest value.
        var poolSize = range.Size > int.MaxValue ? int.MaxValue : (int)range.Size;
        var status = new EipStatus
        {
            PoolSize = poolSize,
            FirstIP = range.First.ToString(),
            LastIP = range.Last.ToString(),
            V4 = range.Family == IpFamily.IPv4,
            Used = used.Count == 0 ? null : used.ToDictionary(u => u.Key, u => string.Join(';', u.Value), StringComparer.Ordinal),
            Usage = used.Count,
            Occupied = used.Count >= poolSize,
            Ready = problems.Count == 0,
        };
        var message = $"{used.Count} of {FormatSize(range.Size)} address(es) in use";
        return new EipObservedStatus(status, ReadyCondition.From(problems, conflict, previous, now, message));
    }

    private static string FormatSize(BigInteger size) => size.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
