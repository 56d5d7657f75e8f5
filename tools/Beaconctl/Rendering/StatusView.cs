using Beacon.Contracts;
using Spectre.Console;

namespace Beacon.Ctl.Rendering;

/// <summary>beaconctl status: a pools table and a Services table.</summary>
public static class StatusView
{
    public static void Render(IAnsiConsole console, StatusQueryReply reply)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(reply);
        var pools = new Table().Title("Pools").AddColumns("Group", "Pool", "Family", "Size", "Used", "Free");
        foreach (var p in reply.Pools)
        {
            pools.AddRow(Text(p.Group), Text(p.Pool), Text(p.Family), Text(Number(p.Size)), Text(Number(p.Used)), Text(Number(p.Free)));
        }

        var services = new Table().Title("Services").AddColumns("Service", "Group", "Addresses", "State", "Announcing nodes");
        foreach (var s in reply.Services)
        {
            services.AddRow(Text(s.Service.ToString()), Text(s.Group ?? "-"), Text(s.Addresses.Count > 0 ? string.Join(", ", s.Addresses) : "-"),
                Text(s.State == "Allocated" ? s.State : $"{s.State}: {s.Message}"), Text(s.AnnouncingNodes.Count > 0 ? string.Join(", ", s.AnnouncingNodes) : "-"));
        }

        console.Write(pools);
        if (reply.RejectedGroups is { Count: > 0 } rejected)
        {
            // Without this an invalid group is only a log line on the Allocator, and its Services just wait.
            var table = new Table().Title("Rejected ServiceGroups (not allocated from)").AddColumns("Group", "Reason");
            foreach (var r in rejected)
            {
                table.AddRow(Text(r.Group), Text(string.Join("\n", r.Reasons)));
            }

            console.Write(table);
        }

        console.Write(services);
        console.WriteLine($"Allocator {reply.Allocator}, {reply.Services.Count} Service(s), at {reply.At:u}");
    }

    private static string Number(long n) => n == long.MaxValue ? "huge" : n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // Plain Text, not markup: names and messages may contain '[' which markup would try to parse.
    private static Text Text(string value) => new(value);
}
