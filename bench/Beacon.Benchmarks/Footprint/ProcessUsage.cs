using System.Globalization;

namespace Beacon.Benchmarks.Footprint;

/// <summary>
/// What /proc says about one process: CPU time used (user + system, every thread, in clock ticks of 10 ms), resident
/// memory, and CPU time and wake-ups (voluntary context switches: each one is a thread that blocked and will be woken)
/// per thread name (".NET TP Worker", ".NET Timer"…) to see what burns an idle process's CPU.
/// </summary>
internal sealed record ProcessUsage(int Pid, long CpuTicks, long RssKib, IReadOnlyDictionary<string, long> TicksByThread, IReadOnlyDictionary<string, long> WakeupsByThread)
{
    /// <summary>Linux reports CPU time in USER_HZ, 100 per second on every architecture Beacon runs on.</summary>
    public const double TicksPerSecond = 100;

    public static ProcessUsage? Read(int pid)
    {
        try
        {
            var (ticks, _) = Ticks(File.ReadAllText($"/proc/{pid}/stat"));
            var rss = VmRssKib(pid);
            var byThread = new Dictionary<string, long>(StringComparer.Ordinal);
            var wakeups = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    var (threadTicks, name) = Ticks(File.ReadAllText(Path.Combine(task, "stat")));
                    byThread[name] = byThread.GetValueOrDefault(name) + threadTicks;
                    var switches = File.ReadLines(Path.Combine(task, "status")).First(l => l.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal));
                    wakeups[name] = wakeups.GetValueOrDefault(name) + long.Parse(switches.Split(':')[1].Trim(), CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // The thread ended between listing and reading.
                }
            }

            return new ProcessUsage(pid, ticks, rss, byThread, wakeups);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>VmRSS in KiB, or 0 when the process is gone.</summary>
    public static long ResidentKib(int pid)
    {
        try
        {
            return VmRssKib(pid);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return 0;
        }
    }

    private static long VmRssKib(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    /// <summary>utime + stime (fields 14 and 15) and the name in parentheses, which may itself contain spaces.</summary>
    private static (long Ticks, string Name) Ticks(string stat)
    {
        var open = stat.IndexOf('(', StringComparison.Ordinal);
        var close = stat.LastIndexOf(')');
        var name = stat[(open + 1)..close];
        // Thread names carry a number (".NET TP Worker", "NATS…"); digits are dropped so a pool's threads add up.
        name = new string(name.Where(c => !char.IsDigit(c)).ToArray()).Trim();
        var fields = stat[(close + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture), name);
    }
}
