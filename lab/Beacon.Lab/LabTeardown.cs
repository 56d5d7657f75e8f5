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
        var killed = new List<int>();
        foreach (var ns in topology.AllNamespaces.Where(existing.Contains))
        {
            killed.AddRange(await PidsInAsync(ns));
            await NetnsJanitor.KillProcessesInAsync(ns);
        }

        // Processes that left their namespace (none should) are still stopped through their pid files.
        if (Directory.Exists(paths.Pids))
        {
            foreach (var pidFile in Directory.GetFiles(paths.Pids, "*.pid"))
            {
                if (DetachedProcess.AlivePid(pidFile) is { } pid)
                {
                    killed.Add(pid);
                    _ = NativeSignals.Kill(pid, NativeSignals.SigCont);
                    _ = NativeSignals.Kill(pid, NativeSignals.SigKill);
                }
            }
        }

        // SIGKILL is asynchronous: wait until the processes are really gone before their namespaces go.
        var survivors = await ProcessLiveness.WaitForExitAsync(killed, TimeSpan.FromSeconds(15));
        if (survivors.Count > 0)
        {
            throw new InvalidOperationException($"lab processes {string.Join(", ", survivors)} did not exit after SIGKILL");
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

    private static async Task<IEnumerable<int>> PidsInAsync(string ns) =>
        (await HostCommand.RunAsync("ip", "netns", "pids", ns)).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => int.TryParse(l, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .ToList();
}
