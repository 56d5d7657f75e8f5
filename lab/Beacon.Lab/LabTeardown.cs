using Beacon.TestSupport.Netns;

namespace Beacon.Lab;

/// <summary>Stops every lab process and removes every lab namespace and its state; safe to run on a partial lab.</summary>
public static class LabTeardown
{
    public static async Task RunAsync(LabTopology topology, LabPaths paths)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(paths);
        var existing = (await HostCommand.RunAsync("ip", "netns", "list")).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', 2)[0])
            .ToHashSet(StringComparer.Ordinal);
        foreach (var ns in topology.AllNamespaces.Where(existing.Contains))
        {
            await NetnsJanitor.KillProcessesInAsync(ns);
        }

        // Processes that left their namespace (none should) are still stopped through their pid files.
        if (Directory.Exists(paths.Pids))
        {
            foreach (var pidFile in Directory.GetFiles(paths.Pids, "*.pid"))
            {
                if (DetachedProcess.AlivePid(pidFile) is { } pid)
                {
                    _ = NativeSignals.Kill(pid, NativeSignals.SigCont);
                    _ = NativeSignals.Kill(pid, NativeSignals.SigKill);
                }
            }
        }

        foreach (var ns in topology.AllNamespaces.Where(existing.Contains))
        {
            await HostCommand.RunAsync("ip", "netns", "delete", ns);
        }

        if (Directory.Exists(paths.Root))
        {
            Directory.Delete(paths.Root, recursive: true);
        }
    }
}
