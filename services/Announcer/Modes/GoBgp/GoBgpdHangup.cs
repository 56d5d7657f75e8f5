using System.Globalization;
using System.Runtime.InteropServices;

namespace Beacon.Announcer.Modes.GoBgp;

/// <summary>
/// Sends SIGHUP to the gobgpd whose command line reads the config file, found in /proc each time (gobgpd may have
/// been restarted). In Kubernetes the pod shares its process namespace so the Announcer sees the gobgpd sidecar.
/// </summary>
public sealed partial class GoBgpdHangup : IGoBgpdReload
{
    private const int Sighup = 1;

    public string? Reload(string configPath)
    {
        var pids = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
                if (GoBgpdCommandLine.Reads(arguments, configPath))
                {
                    pids.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended meanwhile, or is not ours to read.
            }
        }

        if (pids.Count == 0)
        {
            return $"no gobgpd process runs with -f {configPath} (the Announcer must see gobgpd's process: shareProcessNamespace in Kubernetes)";
        }

        foreach (var pid in pids)
        {
            if (Kill(pid, Sighup) != 0)
            {
                return $"SIGHUP to gobgpd (pid {pid}) failed: errno {Marshal.GetLastPInvokeError()}";
            }
        }

        return null;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
