using System.Diagnostics;
using System.Net;
using System.Text;
using Beacon.Networking.Addresses;
using Beacon.Networking.Links;
using Beacon.Networking.Netlink;
using Beacon.TestSupport.Netns;
using static Beacon.Benchmarks.Networking.BenchmarkStatistics;

namespace Beacon.Benchmarks.Networking;

/// <summary>
/// Plumbs, refreshes and unplumbs 1,000 /32 addresses (and 1,000 /128) with finite lifetimes through rtnetlink in a
/// fresh network namespace, beside <c>ip -batch</c> doing the same adds and deletes. Target: under 1 s each way.
/// </summary>
internal sealed class NetlinkPlumbingBenchmarks : IBenchmarkSuite
{
    private const int Count = 1000;

    public string Name => "netlink";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        await using var lab = await NetLab.CreateAsync();
        var lan = await lab.AddSegmentAsync("lan");
        var node = await lab.AddHostAsync("node");
        await lan.AttachAsync(node, "eth0", "198.18.0.1/16");
        using var netlink = RouteNetlinkClient.OpenInNamespace(node.Name);
        var plumber = new AddressPlumber(netlink);
        DummyLinkProvisioner.Ensure(netlink);
        var rows = new List<(string Family, TimeSpan Plumb, TimeSpan Batch, TimeSpan Refresh, TimeSpan Unplumb, TimeSpan IpAdd, TimeSpan IpDelete)>();

        foreach (var (family, make, prefix, link) in new (string, Func<int, IPAddress>, int, string)[]
                 {
                     ("IPv4 /32 on eth0 (veth)", i => new IPAddress([10, 100, (byte)(i >> 8), (byte)i]), 32, "eth0"),
                     ("IPv6 /128 on eth0 (veth)", i => IPAddress.Parse($"fd00:bea::{i:x}"), 128, "eth0"),
                     ("IPv4 /32 on kube-lb0", i => new IPAddress([10, 101, (byte)(i >> 8), (byte)i]), 32, DummyLinkProvisioner.DefaultName),
                     ("IPv6 /128 on kube-lb0", i => IPAddress.Parse($"fd00:beb::{i:x}"), 128, DummyLinkProvisioner.DefaultName),
                 })
        {
            var addresses = Enumerable.Range(1, Count).Select(make).ToList();
            plumber.Plumb(link, make(0), prefix, TimeSpan.FromSeconds(60)); // warm-up (JIT, first-use verification)
            plumber.RemoveAllOurs(link);

            var plumb = Time(() => addresses.ForEach(a => plumber.Plumb(link, a, prefix, TimeSpan.FromSeconds(60))));
            Check(plumber.ListOurs(link).Count == Count, "plumb");
            plumber.RemoveAllOurs(link);
            var pairs = addresses.Select(a => (a, prefix)).ToList();
            var batch = Time(() => Check(plumber.PlumbMany(link, pairs, TimeSpan.FromSeconds(60)).All(e => e is null), "batch plumb"));
            Check(plumber.ListOurs(link).Count == Count, "batch plumb");
            var refresh = Time(() => plumber.PlumbMany(link, pairs, TimeSpan.FromSeconds(60)));
            var unplumb = Time(() => plumber.UnplumbMany(link, pairs));
            Check(plumber.ListOurs(link).Count == 0, "unplumb");

            var ipAdd = await IpBatchAsync(node, addresses.Select(a => $"address add {a}/{prefix} dev {link} valid_lft 60 preferred_lft 60"));
            var ipDelete = await IpBatchAsync(node, addresses.Select(a => $"address del {a}/{prefix} dev {link}"));
            rows.Add((family, plumb, batch, refresh, unplumb, ipAdd, ipDelete));
        }

        var text = new StringBuilder();
        text.AppendLine("### Address plumbing through rtnetlink (1,000 addresses)").AppendLine();
        text.AppendLine(Header(Name)).AppendLine();
        text.AppendLine("One namespace, one veth and `kube-lb0` (ifb fallback here); every address with a 60 s valid lifetime and Beacon's IFA_PROTO mark. ")
            .AppendLine("*One by one* = `AddressPlumber.Plumb` per address (request + ACK each); *batched* = `PlumbMany` (requests pipelined 64 per datagram, ACKs collected after); ")
            .AppendLine("*refresh* = `PlumbMany` again on present addresses (NLM_F_REPLACE); *unplumb* = `UnplumbMany` (one dump to pick our addresses, pipelined deletes); ")
            .AppendLine("reference = `ip -batch` with the same adds and deletes (one process, request + ACK per line). ")
            .AppendLine("IPv6 on a multicast-capable interface is kernel-bound: every address joins its solicited-node group (MLD), which `ip` pays too; ")
            .AppendLine("on NOARP `kube-lb0` the kernel skips that join.").AppendLine();
        text.AppendLine("| Family | Plumb one by one | Plumb batched | Refresh batched | Unplumb | `ip -batch` add | `ip -batch` del | Batched vs ip (add / del) | Target (< 1 s each way) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in rows)
        {
            var ok = r.Batch < TimeSpan.FromSeconds(1) && r.Unplumb < TimeSpan.FromSeconds(1) ? "met"
                : r.Batch <= r.IpAdd && r.Unplumb <= r.IpDelete ? "**missed**, kernel-bound (`ip` is slower still)" : "**missed**";
            text.AppendLine($"| {r.Family} | {F(r.Plumb.TotalMilliseconds)} ms | {F(r.Batch.TotalMilliseconds)} ms | {F(r.Refresh.TotalMilliseconds)} ms | {F(r.Unplumb.TotalMilliseconds)} ms | " +
                            $"{F(r.IpAdd.TotalMilliseconds)} ms | {F(r.IpDelete.TotalMilliseconds)} ms | {F(r.Batch / r.IpAdd, 2)}x / {F(r.Unplumb / r.IpDelete, 2)}x | {ok} |");
        }

        return text.ToString();
    }

    private static TimeSpan Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed;
    }

    private static void Check(bool condition, string step)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"netlink benchmark: {step} did not reach the expected state");
        }
    }

    private static async Task<TimeSpan> IpBatchAsync(NetworkNamespace node, IEnumerable<string> lines)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(file, lines);
            var watch = Stopwatch.StartNew();
            (await HostCommand.RunAsync("ip", "-n", node.Name, "-batch", file)).EnsureSuccess();
            return watch.Elapsed;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
