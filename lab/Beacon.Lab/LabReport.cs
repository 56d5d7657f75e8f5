using Spectre.Console;

namespace Beacon.Lab;

/// <summary>The table the lab prints: service, address, mode, announcing node(s), and what the client got.</summary>
public static class LabReport
{
    public static void Write(IAnsiConsole console, IReadOnlyList<LabObservation> observations)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(observations);
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("service", "address", "mode", "announcing node(s)", "client got");
        foreach (var o in observations)
        {
            var target = o.Port == 0 ? o.Address : o.Address.Contains(':', StringComparison.Ordinal) ? $"[{o.Address}]:{o.Port}" : $"{o.Address}:{o.Port}";
            table.AddRow(
                Markup.Escape(o.Service),
                Markup.Escape(target),
                Markup.Escape(o.Mode),
                Markup.Escape(Announcing(o)),
                o.Reachable ? $"[green]{Markup.Escape(o.Answer!)}[/]" : "[red]no answer[/]");
        }

        console.Write(table);
    }

    /// <summary>The announcing nodes, and what was expected when the kernel does not show it (yet).</summary>
    private static string Announcing(LabObservation o)
    {
        var shown = o.AnnouncingNodes.Count == 0 ? "-" : string.Join(", ", o.AnnouncingNodes);
        return o.ExpectedNextHops is { } expected && !o.AnnouncingNodes.ToHashSet(StringComparer.Ordinal).SetEquals(expected)
            ? $"{shown} (expected {string.Join(", ", expected)})"
            : shown;
    }
}
