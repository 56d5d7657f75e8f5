using System.Globalization;
using Beacon.Lab;
using Beacon.Lab.Tests.Seeds;
using Beacon.TestSupport.Netns;
using Xunit.Abstractions;

namespace Beacon.Lab.Tests.LbNodeAgent;

/// <summary>
/// The lab as a PureLB user runs it: its node agents start without <c>--interface</c> and take their settings from the
/// <c>purelb.io/v2</c> LBNodeAgent in the manifest directory, through the Allocator and the bus. Editing that file changes
/// what a user sees on the wire and in the kernel: the gratuitous ARP count and interval (tcpdump on the client), and
/// the address lifetime (<c>ip addr</c> on the owner). One lab bring-up; runs with the seed labs, one lab at a time.
/// </summary>
[Collection(SeedLabCollection.Name)]
public sealed class LbNodeAgentLabTests(ITestOutputHelper output)
{
    // A lan-pool address no sample Service gets (they take the lowest free ones), pinned by the new Service.
    private const string PinnedAddress = "198.18.10.219";

    private const string Edited = """
        apiVersion: purelb.io/v2
        kind: LBNodeAgent
        metadata:
          name: default
          namespace: beacon-system
        spec:
          local:
            localInterface: default
            dummyInterface: kube-lb0
            garpConfig:
              enabled: true
              count: 5
              interval: 300ms
            addressConfig:
              localInterface:
                validLifetime: 0
        """;

    private const string PinnedService = $$"""
        apiVersion: v1
        kind: Service
        metadata:
          name: web-garp
          namespace: demo
          annotations:
            purelb.io/service-group: lan
            purelb.io/addresses: {{PinnedAddress}}
        spec:
          type: LoadBalancer
          selector: { app: web }
          ports:
            - { name: http, port: 80, protocol: TCP }
        """;

    [Fact]
    public async Task An_lbnodeagent_edited_in_the_manifest_directory_changes_garp_and_lifetimes_on_every_node()
    {
        var topology = new LabTopology(string.Create(CultureInfo.InvariantCulture, $"{NetnsJanitor.Prefix}{Environment.ProcessId}-lbna"));
        var paths = new LabPaths(LabPaths.FindRepositoryRoot(AppContext.BaseDirectory), topology);
        var log = new StringWriter();
        var up = new LabUp(topology, paths, BuildConfiguration(), log);
        var probe = new LabProbe(topology);
        try
        {
            await NetnsJanitor.RemoveStaleAsync();
            var observations = await up.RunAsync(CancellationToken.None);

            // No --interface: the lab's own LBNodeAgent (localInterface: default) puts every address where it belongs.
            up.NodeAgentArguments("node1").Should().NotContain("--interface");
            observations.Should().NotBeEmpty().And.OnlyContain(o => o.Converged, "every sample service answers with the LBNodeAgent's settings:\n{0}", log);
            foreach (var node in topology.Nodes)
            {
                await SeedLab.Eventually(() => Task.FromResult(AgentLog(paths, node).Contains("Node settings: LBNodeAgent beacon-system/default;", StringComparison.Ordinal)),
                    $"{node}'s agent applies the LBNodeAgent the Allocator published");
            }

            var l2 = observations.First(o => o.Service == "demo/web-l2");
            (await LifetimeAsync(topology, l2.AnnouncingNodes[0], l2.Address)).Should().NotBe("forever", "Beacon's 10 s lifetime applies while the LBNodeAgent sets none");

            // The user edits the LBNodeAgent: 5 gratuitous ARPs 300 ms apart, permanent addresses.
            await File.WriteAllTextAsync(Path.Combine(paths.Manifests, "01-lbnodeagent.yaml"), Edited);
            foreach (var node in topology.Nodes)
            {
                await SeedLab.Eventually(() => Task.FromResult(AgentLog(paths, node).Contains("gratuitous ARP/NA 5 every 300ms", StringComparison.Ordinal)),
                    $"{node}'s agent applies the edited garpConfig");
            }

            await SeedLab.Eventually(async () => await LifetimeAsync(topology, l2.AnnouncingNodes[0], l2.Address) == "forever",
                $"{l2.Address} on {l2.AnnouncingNodes[0]} becomes permanent (validLifetime: 0)");

            // A new layer-2 address: its owner announces it 5 times, 300 ms apart, as the client's LAN sees it.
            await using var capture = BackgroundProcess.Start("ip", ["netns", "exec", topology.Client, "tcpdump", "-i", "eth0", "-n", "-e", "-l", "-tt", "-c", "5",
                // Gratuitous ARP: sender and target protocol address are both the announced address.
                $"arp and arp[14:4] = arp[24:4] and arp[24:4] = 0x{Hex(PinnedAddress)}"]);
            await capture.WaitForLineAsync(l => l.Contains("listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            await File.WriteAllTextAsync(Path.Combine(paths.Manifests, "60-web-garp.yaml"), PinnedService);
            (await capture.WaitForExitAsync(TimeSpan.FromSeconds(60))).Should().BeTrue("the owner sends 5 gratuitous ARPs for {0}:\n{1}", PinnedAddress, capture.Output);

            var frames = capture.Output.Split('\n').Where(l => l.Contains("ARP", StringComparison.Ordinal) && l.Contains(PinnedAddress, StringComparison.Ordinal)).ToList();
            output.WriteLine(string.Join('\n', frames));
            frames.Should().HaveCount(5);
            var owners = await probe.OwnersAsync(PinnedAddress);
            owners.Should().ContainSingle();
            var ownerMac = await probe.NodeMacAsync(owners[0]);
            frames.Should().OnlyContain(f => f.Contains(ownerMac, StringComparison.OrdinalIgnoreCase), "the owner sends them");
            var times = frames.Select(f => double.Parse(f.Split(' ')[0], CultureInfo.InvariantCulture)).ToList();
            times.Zip(times.Skip(1), (a, b) => b - a).Should().OnlyContain(gap => gap >= 0.25, "the interval is 300 ms (Beacon's default is 100 ms)");
            (await LifetimeAsync(topology, owners[0], PinnedAddress)).Should().Be("forever");
            (await probe.FetchAsync(PinnedAddress, 80)).Should().Be(owners[0], "the new Service answers the client from its owner");
        }
        finally
        {
            await LabTeardown.RunAsync(topology, paths);
            output.WriteLine(log.ToString());
        }
    }

    private static string AgentLog(LabPaths paths, string node)
    {
        using var stream = new FileStream(paths.Log($"{node}-nodeagent"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    /// <summary>The valid lifetime <c>ip addr</c> shows for <paramref name="address"/> on the node's eth0 ("forever", "9sec"), or null.</summary>
    private static async Task<string?> LifetimeAsync(LabTopology topology, string node, string address)
    {
        var shown = await HostCommand.RunCheckedAsync("ip", "-n", topology.NodeNamespace(node), "-o", "addr", "show", "dev", "eth0");
        var line = shown.StandardOutput.Split('\n').FirstOrDefault(l => l.Contains($" {address}/", StringComparison.Ordinal));
        var words = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var at = words is null ? -1 : Array.IndexOf(words, "valid_lft");
        return at >= 0 && at + 1 < words!.Length ? words[at + 1] : null;
    }

    private static string Hex(string address) =>
        Convert.ToHexString(System.Net.IPAddress.Parse(address).GetAddressBytes()).ToLowerInvariant();

    private static string BuildConfiguration() =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
}
