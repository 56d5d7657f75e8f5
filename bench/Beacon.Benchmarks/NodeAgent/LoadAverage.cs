namespace Beacon.Benchmarks.NodeAgent;

/// <summary>The 1-minute load average, so results from this shared machine say how busy it was.</summary>
internal static class LoadAverage
{
    public static string OneMinute()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
