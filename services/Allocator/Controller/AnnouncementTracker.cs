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

    // The Services each node holds an entry of: a node's status or departure touches only those. Finding them by
    // scanning every Service made each status of a node in a 1,000-Service burst cost O(Services) before any work
    // (a tenth of the Allocator's CPU in the scale lab's add, docs/benchmarks.md "scale").
    private readonly Dictionary<string, HashSet<string>> servicesByNode = new(StringComparer.Ordinal);

    // Routing Announcers' hand-off reports: the BGP peers each node hands each address's route to (ServiceBGPStatus),
    // and per node which reports it made, so forgetting a node does not scan every report.
    private readonly Dictionary<(string Service, string Node, string Address), IReadOnlyList<string>> handedTo = [];
    private readonly Dictionary<string, HashSet<(string Service, string Address)>> reportsByNode = new(StringComparer.Ordinal);

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
                SetReport(key, announcement.Node, announcement.Address, announcement.Peers!);
                version++;
                return byService.TryGetValue(key, out var held) && held.ContainsKey((announcement.Node, announcement.Address));
            }

            var before = NodesOf(key);
            if (announcement.Role == AnnouncementRole.Withdrawn)
            {
                RemoveReport(key, announcement.Node, announcement.Address);
                if (byService.TryGetValue(key, out var entries))
                {
                    RemoveEntry(key, entries, announcement.Node, announcement.Address);
                }

                version++;
            }
            else
            {
                AddEntry(key, announcement);
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
            // Only this node's entries change, so a Service's set of announcing nodes changes exactly when this node
            // starts or stops being in it: no per-Service comparison of node lists (building them for every Service
            // the node held, twice per status, was a fifth of the Allocator's CPU in the scale lab's BGP add).
            // Forgetting the node takes this set out of the index; the entries added below go into a new one.
            var before = servicesByNode.GetValueOrDefault(status.Node) ?? new HashSet<string>(StringComparer.Ordinal);
            ForgetNodeLocked(status.Node);
            version++;
            foreach (var entry in status.Holding)
            {
                if (entry.Node == status.Node && entry.Role != AnnouncementRole.Withdrawn)
                {
                    AddEntry(entry.Service.ToString(), entry);
                }
            }

            var after = servicesByNode.GetValueOrDefault(status.Node) ?? [];
            return [.. before.Where(s => !after.Contains(s)), .. after.Where(s => !before.Contains(s))];
        }
    }

    /// <summary>Forgets a node (it left or was declared dead); returns the Services it announced.</summary>
    public IReadOnlyList<string> ForgetNode(string node)
    {
        lock (gate)
        {
            return ForgetNodeLocked(node);
        }
    }

    private List<string> ForgetNodeLocked(string node)
    {
        // Its hand-off reports go with its holdings.
        if (reportsByNode.TryGetValue(node, out var reports))
        {
            foreach (var (service, address) in reports.Where(r => byService.ContainsKey(r.Service)).ToList())
            {
                RemoveReport(service, node, address);
            }
        }

        var affected = new List<string>();
        if (!servicesByNode.Remove(node, out var services))
        {
            return affected;
        }

        foreach (var service in services)
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

    private void AddEntry(string service, Announcement announcement)
    {
        if (!byService.TryGetValue(service, out var entries))
        {
            entries = [];
            byService[service] = entries;
        }

        entries[(announcement.Node, announcement.Address)] = announcement;
        if (!servicesByNode.TryGetValue(announcement.Node, out var services))
        {
            services = new HashSet<string>(StringComparer.Ordinal);
            servicesByNode[announcement.Node] = services;
        }

        services.Add(service);
    }

    private void RemoveEntry(string service, Dictionary<(string Node, string Address), Announcement> entries, string node, string address)
    {
        if (!entries.Remove((node, address)))
        {
            return;
        }

        if (entries.Count == 0)
        {
            byService.Remove(service);
        }

        if (!entries.Keys.Any(k => k.Node == node) && servicesByNode.TryGetValue(node, out var services))
        {
            services.Remove(service);
            if (services.Count == 0)
            {
                servicesByNode.Remove(node);
            }
        }
    }

    private void SetReport(string service, string node, string address, IReadOnlyList<string> peers)
    {
        handedTo[(service, node, address)] = peers;
        if (!reportsByNode.TryGetValue(node, out var reports))
        {
            reports = [];
            reportsByNode[node] = reports;
        }

        reports.Add((service, address));
    }

    private void RemoveReport(string service, string node, string address)
    {
        if (handedTo.Remove((service, node, address)) && reportsByNode.TryGetValue(node, out var reports))
        {
            reports.Remove((service, address));
            if (reports.Count == 0)
            {
                reportsByNode.Remove(node);
            }
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
