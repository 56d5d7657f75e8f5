using System.Collections;
using System.Diagnostics;
using Beacon.Ctl;
using Beacon.TestSupport.Netns;
using Xunit.Abstractions;

namespace Beacon.Lab.Tests.Cluster;

/// <summary>
/// Issue 12, item 4, with the real binaries: after the Allocator is killed with SIGKILL and a new one starts,
/// <c>beaconctl status</c> shows every Service's announcing nodes again within 2 s of the new Allocator leading: it
/// reads every node's status from the BEACON_NODES stream instead of waiting for announcements that never repeat.
/// </summary>
[Collection(nameof(ClusterLabCollection))]
public sealed class AllocatorKillTests(ClusterLab lab, ITestOutputHelper output)
{
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task After_a_kill_9_beaconctl_status_shows_every_services_announcing_nodes_within_two_seconds_of_the_new_allocator_leading()
    {
        await lab.WaitConvergedAsync(TimeSpan.FromSeconds(30), "the lab converged before the test");
        var expected = await ExpectedAnnouncersAsync();
        expected.Should().NotBeEmpty();
        var before = StatusTable.Parse((await lab.BeaconctlAsync("status")).EnsureSuccess().StandardOutput);
        before.Should().Equal(expected, "the first Allocator knows who announces each Service");
        (await StatusAsync()).Should().Equal(expected, "beaconctl's code in this process (warmed up: no JIT in the measurement) sees the same");

        NativeSignals.Kill(lab.Allocator.Pid, NativeSignals.SigKill).Should().Be(0);
        (await lab.Allocator.WaitForExitAsync(TimeSpan.FromSeconds(10))).Should().NotBe(0);
        await lab.Allocator.DisposeAsync();
        await lab.StartAllocatorAsync();
        var leading = Stopwatch.StartNew();

        // beaconctl's own code, in this process, so that a .NET process start (seconds on a busy machine) is not
        // counted against the Allocator; it reaches the servers through the cluster's loopback forwarders.
        var attempts = 0;
        IReadOnlyDictionary<string, string> shown;
        while (true)
        {
            attempts++;
            shown = await StatusAsync();
            if (Matches(shown, expected) || leading.Elapsed > TimeSpan.FromSeconds(20))
            {
                break;
            }

            await Task.Delay(50);
        }

        var complete = leading.Elapsed;
        output.WriteLine($"beaconctl status showed every announcing node {complete.TotalMilliseconds:F0} ms after the new Allocator logged that it leads ({attempts} queries)");

        // And the real binary, as a user runs it in the lab (its run time includes starting .NET).
        var binary = Stopwatch.StartNew();
        var run = await lab.BeaconctlAsync("status");
        output.WriteLine($"the beaconctl binary ({binary.ElapsedMilliseconds} ms):\n{run.StandardOutput}{run.StandardError}");
        foreach (var (service, nodes) in shown)
        {
            output.WriteLine($"  {service}: {nodes}");
        }

        shown.Should().Equal(expected, "every Service shows its announcing nodes again");
        complete.Should().BeLessThan(Target, "the new Allocator rebuilds announcements from the stream at once");
        StatusTable.Parse(run.EnsureSuccess().StandardOutput).Should().Equal(expected);
    }

    private static bool Matches(IReadOnlyDictionary<string, string> shown, IReadOnlyDictionary<string, string> expected) =>
        shown.Count == expected.Count && shown.All(s => expected.GetValueOrDefault(s.Key) == s.Value);

    private async Task<IReadOnlyDictionary<string, string>> StatusAsync()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await BeaconctlApp.RunAsync(["--nats-url", lab.Nats.ClientUrls, "status", "--timeout", "0.5"], stdout, stderr, new Hashtable());
        return code == 0 ? StatusTable.Parse(stdout.ToString()) : new Dictionary<string, string>();
    }

    /// <summary>Service → announcing nodes as beaconctl prints them: the owner of a node-local address, every node for a remote one.</summary>
    private async Task<Dictionary<string, string>> ExpectedAnnouncersAsync()
    {
        var plumbed = await lab.PlumbedAsync();
        return lab.Assigned().ToDictionary(
            a => a.Key,
            a => string.Join(", ", a.Value.SelectMany(address => plumbed[address]).Select(h => h.Split(' ')[0]).Distinct().Order(StringComparer.Ordinal)),
            StringComparer.Ordinal);
    }
}
