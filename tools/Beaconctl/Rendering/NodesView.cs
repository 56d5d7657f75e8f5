using System.Globalization;
using Spectre.Console;

namespace Beacon.Ctl.Rendering;

/// <summary>beaconctl nodes: membership, link state and what each node announces.</summary>
public static class NodesView
{
    public static void Render(IAnsiConsole console, IReadOnlyList<NodeRow> rows, bool allocatorAnswered)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(rows);
        var table = new Table().Title("Nodes").AddColumns("Node", "Heartbeat", "Interface", "Link", "Subnets", "Candidate", "Announces");
        foreach (var r in rows)
        {
            table.AddRow(
                new Text(r.Node),
                new Text(r.LastSeen is { } ago ? string.Create(CultureInfo.InvariantCulture, $"{ago.TotalMilliseconds:0} ms ago") : "none (dead?)"),
                new Text(r.Interface),
                new Text(r.Link),
                new Text(r.Subnets.Count > 0 ? string.Join(", ", r.Subnets) : "-"),
                new Text(r.Candidate ? "yes" : "no"),
                new Text(r.Announces is null ? "?" : r.Announces.Count > 0 ? string.Join("\n", r.Announces) : "-"));
        }

        console.Write(table);
        if (!allocatorAnswered)
        {
            console.WriteLine("Announces: ? - the Allocator did not answer the status query, so announcements are unknown.");
        }
    }
}
