using System.Net;
using Beacon.Contracts;

namespace Beacon.NodeAgent.Domain;

/// <summary>
/// What each peer owns per its last node status (its node-local addresses, role Owner), and from each new status the
/// addresses it stopped owning: the interim owner's own report that it let an address go, which is when the elected
/// owner may re-announce it without restarting a fight (<see cref="DefenceSchedule.Released"/>). The first status of a
/// peer releases nothing (nothing known before it), this node's own statuses are ignored, and so are entries whose
/// address does not parse (a forged or garbled status costs nothing). Pure; not thread-safe.
/// </summary>
public sealed class ReleasedAddresses(string self)
{
    private static readonly HashSet<IPAddress> None = [];
    private readonly Dictionary<string, HashSet<IPAddress>> _owned = new(StringComparer.Ordinal);

    /// <summary>Peers whose ownership is known.</summary>
    public int Peers => _owned.Count;

    /// <summary>
    /// Statuses read from the stream at start (possibly older than live ones): each fills in a peer not heard live yet,
    /// so a peer that held an address before this agent started can still be seen letting it go.
    /// </summary>
    public void Seed(IEnumerable<NodeStatusReport> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        foreach (var status in statuses)
        {
            if (status?.Node is { } node && node != self && !_owned.ContainsKey(node))
            {
                _owned[node] = Owned(status);
            }
        }
    }

    /// <summary>A peer's new status: the addresses it owned per its previous one and no longer owns (empty for its first).</summary>
    public IReadOnlyList<IPAddress> Reported(NodeStatusReport status)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (status.Node is not { } node || node == self)
        {
            return [];
        }

        var now = Owned(status);
        var before = _owned.GetValueOrDefault(node, None);
        _owned[node] = now;
        return before.Count == 0 ? [] : [.. before.Where(a => !now.Contains(a))];
    }

    private static HashSet<IPAddress> Owned(NodeStatusReport status)
    {
        var owned = new HashSet<IPAddress>();
        foreach (var held in status.Holding ?? [])
        {
            if (held is { Role: AnnouncementRole.Owner, Address: { } text } && IPAddress.TryParse(text, out var address))
            {
                owned.Add(address);
            }
        }

        return owned;
    }
}
