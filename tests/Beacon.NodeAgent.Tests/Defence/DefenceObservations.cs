using Beacon.TestSupport;
using Beacon.TestSupport.Netns;
using Prometheus;

namespace Beacon.NodeAgent.Tests.Defence;

/// <summary>What the defence namespace tests read: a counter's value, a client's neighbour entry, a condition within 5 s.</summary>
internal static class DefenceObservations
{
    /// <summary>The value of the first exposed series starting with <paramref name="series"/> (0 when none is exposed yet).</summary>
    public static int Count(CollectorRegistry registry, string series)
    {
        var line = registry.ToPrometheusText().Split('\n').FirstOrDefault(l => l.StartsWith(series, StringComparison.Ordinal));
        return line is null ? 0 : (int)double.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The MAC <paramref name="host"/>'s neighbour table has for <paramref name="address"/> on eth0 ("" when none).</summary>
    public static async Task<string> NeighbourAsync(NetworkNamespace host, string address)
    {
        var words = (await host.IpAsync("neigh", "show", address, "dev", "eth0")).StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(words, "lladdr");
        return at >= 0 && at + 1 < words.Length ? words[at + 1] : "";
    }

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("not within 5 s: " + what);
            }

            await Task.Delay(20);
        }
    }
}
