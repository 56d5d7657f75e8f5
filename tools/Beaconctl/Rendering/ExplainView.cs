using Beacon.Contracts;
using Spectre.Console;

namespace Beacon.Ctl.Rendering;

/// <summary>beaconctl explain: the Service's facts, then the Allocator's explanation one sentence a line.</summary>
public static class ExplainView
{
    public static void Render(IAnsiConsole console, ExplainQueryReply reply)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(reply);
        var facts = new Grid().AddColumn().AddColumn();
        facts.AddRow(new Text("Service"), new Text(reply.Service.ToString()));
        facts.AddRow(new Text("Managed"), new Text(reply.Found ? (reply.Managed ? "yes" : "no") : "not found"));
        facts.AddRow(new Text("Group"), new Text(reply.Group ?? "-"));
        facts.AddRow(new Text("State"), new Text(reply.State));
        facts.AddRow(new Text("Addresses"), new Text(reply.Addresses.Count > 0 ? string.Join(", ", reply.Addresses) : "-"));
        facts.AddRow(new Text("Announced by"), new Text(reply.AnnouncingNodes.Count > 0 ? string.Join(", ", reply.AnnouncingNodes) : "-"));
        console.Write(facts);
        console.WriteLine();
        foreach (var line in reply.Explanation)
        {
            console.WriteLine("- " + line);
        }
    }
}
