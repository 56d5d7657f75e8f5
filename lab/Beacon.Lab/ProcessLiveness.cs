using System.Globalization;

namespace Beacon.Lab;

/// <summary>Whether a pid still runs: a zombie (state Z) has exited and only waits for its parent to reap it.</summary>
public static class ProcessLiveness
{
    public static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/stat"));
            // Format: pid (comm) state ...; comm may contain spaces and parentheses, so look after the last ')'.
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ', 2)[0];
            return state != "Z" && state != "X";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>Polls until none of <paramref name="pids"/> runs, or the timeout passes; returns those still running.</summary>
    public static async Task<IReadOnlyList<int>> WaitForExitAsync(IEnumerable<int> pids, TimeSpan timeout)
    {
        var pending = pids.Distinct().ToList();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            pending.RemoveAll(pid => !IsRunning(pid));
            if (pending.Count == 0 || DateTime.UtcNow > deadline)
            {
                return pending;
            }

            await Task.Delay(50);
        }
    }
}
