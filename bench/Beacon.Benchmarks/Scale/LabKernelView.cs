using System.Globalization;
using System.Net;
using Beacon.Lab;
using Beacon.TestSupport.Netns;

namespace Beacon.Benchmarks.Scale;

/// <summary>What the lab's kernels and BIRDs hold right now, read with ip and birdc (one exec each).</summary>
internal sealed class LabKernelView(LabTopology topology, LabPaths paths)
{
    /// <summary>The IPv4 addresses on a node's interface that <paramref name="counts"/> selects.</summary>
    public async Task<IReadOnlyList<IPAddress>> AddressesAsync(string node, string device, Func<IPAddress, bool> counts)
    {
        var listed = await HostCommand.RunAsync("ip", "-n", topology.NodeNamespace(node), "-o", "-4", "addr", "show", "dev", device);
        var result = new List<IPAddress>();
        foreach (var line in listed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var inet = Array.IndexOf(fields, "inet");
            if (inet >= 0 && inet + 1 < fields.Length && IPAddress.TryParse(fields[inet + 1].Split('/')[0], out var address) && counts(address))
            {
                result.Add(address);
            }
        }

        return result;
    }

    /// <summary>How many routes the node's BIRD holds from Beacon's static protocol that <paramref name="counts"/> selects.</summary>
    public async Task<int> BirdRoutesAsync(string node, Func<IPAddress, bool> counts)
    {
        var socket = Path.Combine(paths.Daemon($"{node}-bird"), "bird.ctl");
        var shown = await HostCommand.RunAsync("birdc", "-s", socket, "show", "route", "protocol", "beacon4");
        return shown.StandardOutput.Split('\n').Count(line => Prefix(line) is { } address && counts(address));
    }

    /// <summary>Routes in the router's kernel that <paramref name="counts"/> selects, with their number of next hops.</summary>
    public async Task<IReadOnlyDictionary<IPAddress, int>> RouterRoutesAsync(Func<IPAddress, bool> counts)
    {
        var shown = await HostCommand.RunAsync("ip", "-n", topology.Router, "-o", "-4", "route", "show");
        var result = new Dictionary<IPAddress, int>();
        foreach (var line in shown.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Prefix(line) is { } address && counts(address))
            {
                var hops = CountOf(line, "nexthop via ");
                result[address] = hops == 0 && line.Contains(" via ", StringComparison.Ordinal) ? 1 : hops;
            }
        }

        return result;
    }

    /// <summary>A node's LAN MAC address.</summary>
    public async Task<string> MacAsync(string node)
    {
        var shown = (await HostCommand.RunAsync("ip", "-n", topology.NodeNamespace(node), "-o", "link", "show", "dev", "eth0")).EnsureSuccess();
        var fields = shown.StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields[Array.IndexOf(fields, "link/ether") + 1];
    }

    /// <summary>The address of a line starting with "a.b.c.d" or "a.b.c.d/len" (a route), else null.</summary>
    private static IPAddress? Prefix(string line)
    {
        var first = line.Split([' ', '\t'], 2)[0].Split('/')[0];
        return first.Contains('.', StringComparison.Ordinal) && IPAddress.TryParse(first, out var address) ? address : null;
    }

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    public static string Format(TimeSpan? at) => at is { } t ? t.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) : "–";
}
