using System.Globalization;

namespace Beacon.Benchmarks.NodeAgent;

/// <summary>User + system CPU time of a process so far, from /proc/&lt;pid&gt;/stat (clock ticks of 10 ms).</summary>
internal static class ProcessCpuTime
{
    private const double TicksPerSecond = 100;

    public static TimeSpan Of(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may hold spaces; fields after its closing parenthesis are space-separated.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
