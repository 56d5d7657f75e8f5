namespace Beacon.TestSupport.Daemons;

/// <summary>
/// A per-daemon working directory (config, control socket, pid, state) under one temp root per test process, so any
/// number of daemons of the same kind run side by side without sharing /etc or /run paths.
/// </summary>
public static class DaemonDirectory
{
    private static int s_counter;

    /// <summary>Creates a fresh directory <c>/tmp/beacon-daemons-&lt;pid&gt;/&lt;n&gt;-&lt;name&gt;</c>.</summary>
    public static string Create(string name)
    {
        var n = Interlocked.Increment(ref s_counter);
        var path = Path.Combine(Path.GetTempPath(), $"beacon-daemons-{Environment.ProcessId}", $"{n}-{name}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Removes a directory made by <see cref="Create"/>; leftovers are harmless, so failures are ignored.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
            // The per-process root goes with its last daemon (non-recursive: fails while others still use it).
            if (Path.GetDirectoryName(path) is { } root && !Directory.EnumerateFileSystemEntries(root).Any())
            {
                Directory.Delete(root);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
