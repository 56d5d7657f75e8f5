using System.Globalization;

namespace Beacon.NodeAgent.Tests.Defence;

/// <summary>A thread's context switches (voluntary and not) from /proc: how often it woke, for "costs no wake-up" tests.</summary>
internal static class ThreadContextSwitches
{
    /// <param name="task">A /proc/PID/task/TID directory.</param>
    public static long Of(string task)
    {
        try
        {
            return File.ReadAllLines(Path.Combine(task, "status"))
                .Where(l => l.Contains("ctxt_switches", StringComparison.Ordinal))
                .Sum(l => long.Parse(l.Split(':')[1].Trim(), CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return 0; // a thread that ended meanwhile
        }
    }
}
