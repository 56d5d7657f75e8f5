using System.Globalization;

namespace Beacon.TestSupport.Netns;

/// <summary>
/// Removes namespaces left behind by earlier runs that died before their cleanup (a killed test host).
/// Namespace names carry the creating process id, so only namespaces of dead processes are removed.
/// </summary>
public static class NetnsJanitor
{
    /// <summary>Every namespace Beacon's tests and lab create starts with this.</summary>
    public const string Prefix = "bcn";

    public static async Task KillProcessesInAsync(string namespaceName)
    {
        var pids = await HostCommand.RunAsync("ip", "netns", "pids", namespaceName);
        foreach (var line in pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(line, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
            {
                _ = NativeSignals.Kill(pid, NativeSignals.SigCont);
                _ = NativeSignals.Kill(pid, NativeSignals.SigKill);
            }
        }
    }

    /// <summary>Deletes <c>bcn&lt;pid&gt;-*</c> namespaces whose creating process no longer exists.</summary>
    public static async Task RemoveStaleAsync()
    {
        var list = await HostCommand.RunAsync("ip", "netns", "list");
        foreach (var line in list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ', 2)[0];
            if (OwnerPid(name) is { } pid && !Directory.Exists($"/proc/{pid}"))
            {
                await KillProcessesInAsync(name);
                await HostCommand.RunAsync("ip", "netns", "delete", name);
            }
        }
    }

    /// <summary>The pid encoded in a name like <c>bcn1234-7-node1</c>, or null for names that are not ours.</summary>
    public static int? OwnerPid(string namespaceName)
    {
        if (!namespaceName.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = namespaceName[Prefix.Length..];
        var dash = rest.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && int.TryParse(rest[..dash], NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }
}
