namespace Beacon.Lab.Tests.Cluster;

/// <summary>Reads the Services table of <c>beaconctl status</c> (plain text, as printed to a pipe).</summary>
internal static class StatusTable
{
    /// <summary>Service → its announcing nodes, sorted and joined with ", "; "-" when none. Pools and other tables are skipped.</summary>
    public static Dictionary<string, string> Parse(string output)
    {
        var services = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n'))
        {
            var cells = line.Split('│').Select(c => c.Trim()).ToArray();
            // "│ Service │ Group │ Addresses │ State │ Announcing nodes │" splits into 7 cells, the outer two empty.
            if (cells.Length != 7 || !cells[1].Contains('/', StringComparison.Ordinal) || cells[1] == "Service")
            {
                continue;
            }

            var nodes = cells[5] == "-" ? ["-"] : cells[5].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();
            services[cells[1]] = string.Join(", ", nodes);
        }

        return services;
    }
}
