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
            // Only the Services this node held before or holds now can change: comparing every Service's nodes (and
            // forgetting the node service by service) made each status of a 1,000-Service node cost millions of steps,
            // a quarter of the Allocator's CPU while a burst's statuses arrived.
            var holding = status.Holding.Where(h => h.Node == status.Node && h.Role != AnnouncementRole.Withdrawn).ToList();
            var touched = ServicesOf(status.Node);
            touched.UnionWith(holding.Select(h => h.Service.ToString()));
            var before = touched.ToDictionary(k => k, NodesOf, StringComparer.Ordinal);
            ForgetNode(status.Node);
            version++;
            foreach (var held in holding)
            {
                var key = held.Service.ToString();
                if (!byService.TryGetValue(key, out var entries))
                {
                    entries = [];
                    byService[key] = entries;
                }

                entries[(held.Node, held.Address)] = held;
            }

            return [.. touched.Where(k => before[k] != NodesOf(k))];
        }
    }

    /// <summary>Forgets a node (it left or was declared dead); returns the Services it announced.</summary>
    public IReadOnlyList<string> ForgetNode(string node)
    {
        lock (gate)
        {
            // Its hand-off reports go with its holdings (one pass over the reports, not one per Service).
            foreach (var k in handedTo.Keys.Where(k => k.Node == node && byService.ContainsKey(k.Service)).ToList())
            {
                handedTo.Remove(k);
            }

            var affected = new List<string>();
            foreach (var service in ServicesOf(node))
            {
                var entries = byService[service];
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

            return affected;
        }
    }

    /// <summary>The Services <paramref name="node"/> announces, in the order they are kept (under the lock).</summary>
    private HashSet<string> ServicesOf(string node)
    {
        var services = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (service, entries) in byService)
        {
            foreach (var k in entries.Keys)
            {
                if (k.Node == node)
                {
                    services.Add(service);
                    break;
                }
            }
        }

        return services;
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
