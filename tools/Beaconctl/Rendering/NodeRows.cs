using Beacon.Contracts;

namespace Beacon.Ctl.Rendering;

/// <summary>Joins heard heartbeats with the Allocator's announcers into one row per node. Pure.</summary>
public static class NodeRows
{
    public static IReadOnlyList<NodeRow> Build(IReadOnlyCollection<(NodeHeartbeat Heartbeat, DateTimeOffset HeardAt)> heard, StatusQueryReply? status, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(heard);
        var announced = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var service in status?.Services ?? [])
        {
            foreach (var node in service.AnnouncingNodes)
            {
                if (!announced.TryGetValue(node, out var list))
                {
                    announced[node] = list = [];
                }

                list.Add($"{service.Service} {string.Join(",", service.Addresses)}");
            }
        }

        IReadOnlyList<string>? Announces(string node) => status is null ? null : announced.GetValueOrDefault(node) ?? [];

        var rows = heard
            .Select(h => new NodeRow(h.Heartbeat.Node, h.Heartbeat.Interface, Link(h.Heartbeat.Link), h.Heartbeat.Subnets, h.Heartbeat.Candidate,
                now - h.HeardAt, Announces(h.Heartbeat.Node)))
            .ToList();
        // A node the Allocator still lists as announcing but that sends no heartbeat is probably dead: show it too.
        rows.AddRange(announced.Keys.Where(n => rows.All(r => r.Node != n))
            .Select(n => new NodeRow(n, "-", "no heartbeat", [], false, null, Announces(n))));
        return rows.OrderBy(r => r.Node, StringComparer.Ordinal).ToList();
    }

    private static string Link(LinkState link) =>
        $"{(link.Up ? "up" : "down")} ({link.OperState}{(link.Carrier ? "" : ", no carrier")})";
}
