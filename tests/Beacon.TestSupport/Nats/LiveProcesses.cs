using System.Collections.Concurrent;
using System.Diagnostics;

namespace Beacon.TestSupport.Nats;

/// <summary>Kills servers a test forgot (or could not) dispose when the test host exits.</summary>
internal static class LiveProcesses
{
    private static readonly ConcurrentDictionary<Process, bool> Processes = new();

    static LiveProcesses()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    public static void Track(Process process) => Processes.TryAdd(process, true);

    public static void Forget(Process process) => Processes.TryRemove(process, out _);

    private static void KillAll()
    {
        foreach (var process in Processes.Keys)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
            }
        }
    }
}
