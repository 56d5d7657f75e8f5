using Beacon.Contracts;

namespace Beacon.Allocator.Controller;

/// <summary>
/// Who announces each Service, from node agents' announcement events. Thread-safe: the bus delivers on its own
/// threads, the reconcile loop reads.
/// </summary>
internal sealed class AnnouncementTracker
{
    private readonly Lock gate = new();
    private long version;
    private readonly Dictionary<string, Dictionary<(string Node, string Address), Announcement>> byService = new(StringComparer.Ordinal);

    // Routing Announcers' hand-off reports: the BGP peers each node hands each address's route to (ServiceBGPStatus).
    private readonly Dictionary<(string Service, string Node, string Address), IReadOnlyList<string>> handedTo = [];

    /// <summary>Records one announcement; true when the Service's set of announcing nodes changed.</summary>
    public bool Record(Announcement announcement)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        var key = announcement.Service.ToString();
        lock (gate)
        {
            if (announcement.IsHandOffReport)
            {
                // Describes a holding, never makes one: it only matters (and requeues the Service) while the address is held.
                handedTo[(key, announcement.Node, announcement.Address)] = announcement.Peers!;
                version++;
                return byService.TryGetValue(key, out var held) && held.ContainsKey((announcement.Node, announcement.Address));
            }

            var before = NodesOf(key);
            if (!byService.TryGetValue(key, out var entries))
            {
                entries = [];
                byService[key] = entries;
            }

            if (announcement.Role == AnnouncementRole.Withdrawn)
            {
                entries.Remove((announcement.Node, announcement.Address));
                handedTo.Remove((key, announcement.Node, announcement.Address));
                version++;
                if (entries.Count == 0)
                {
                    byService.Remove(key);
                }
            }
            else
            {
                entries[(announcement.Node, announcement.Address)] = announcement;
                version++;
            }

            return before != NodesOf(key);
        }
    }

    /// <summary>
    /// Replaces everything known about one node with its status (what it holds now); returns the Services whose set of
    /// announcing nodes changed.
    /// </summary>
    public IReadOnlyList<string> ReplaceNode(NodeStatusReport status)
    {
        ArgumentNullException.ThrowIfNull(status);
        lock (gate)
        {
            var before = byService.Keys.ToDictionary(k => k, NodesOf, StringComparer.Ordinal);
            ForgetNode(status.Node);
            version++;
            foreach (var held in status.Holding.Where(h => h.Node == status.Node && h.Role != AnnouncementRole.Withdrawn))
            {
                var key = held.Service.ToString();
                if (!byService.TryGetValue(key, out var entries))
                {
                    entries = [];
                    byService[key] = entries;
                }

                entries[(held.Node, held.Address)] = held;
            }

            return before.Keys.Union(byService.Keys, StringComparer.Ordinal)
                .Where(k => before.GetValueOrDefault(k) != NodesOf(k))
                .ToList();
        }
    }

    /// <summary>Forgets a node (it left or was declared dead); returns the Services it announced.</summary>
    public IReadOnlyList<string> ForgetNode(string node)
    {
        lock (gate)
        {
            var affected = new List<string>();
            foreach (var (service, entries) in byService.ToList())
            {
                foreach (var k in handedTo.Keys.Where(k => k.Service == service && k.Node == node).ToList())
                {
                    handedTo.Remove(k);
                }

                if (entries.Keys.Any(k => k.Node == node))
                {
                    foreach (var k in entries.Keys.Where(k => k.Node == node).ToList())
                    {
                        entries.Remove(k);
                    }

                    affected.Add(service);
                    version++;
                    if (entries.Count == 0)
                    {
                        byService.Remove(service);
                    }
                }
            }

            return affected;
        }
    }

    /// <summary>Moves on every change; readers that derive something from <see cref="Announcing"/> skip it when unchanged.</summary>
    public long Version
    {
        get
        {
            lock (gate)
            {
                return version;
            }
        }
    }

    /// <summary>
    /// Every live announcement (one per Service, node and address), for per-Service announcement status, with the BGP
    /// peers its node reported handing the route to (<see cref="Announcement.Peers"/>; null when none was reported).
    /// </summary>
    public IReadOnlyList<Announcement> Announcing()
    {
        lock (gate)
        {
            return byService.Values.SelectMany(e => e.Values)
                .Select(a => handedTo.TryGetValue((a.Service.ToString(), a.Node, a.Address), out var peers) ? a with { Peers = peers } : a)
                .ToList();
        }
    }

    /// <summary>"node-a,node-b" (sorted), or null when nobody announces the Service.</summary>
    public string? AnnotationFor(string serviceKey)
    {
        lock (gate)
        {
            return NodesOf(serviceKey);
        }
    }

    private string? NodesOf(string key) =>
        byService.TryGetValue(key, out var entries) && entries.Count > 0
            ? string.Join(",", entries.Keys.Select(k => k.Node).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            : null;
}
