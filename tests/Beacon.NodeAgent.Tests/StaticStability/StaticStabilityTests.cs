using System.Diagnostics;
using System.Globalization;
using System.Net;
using Beacon.Contracts;
using Beacon.NodeAgent.Tests.Lab;
using Beacon.TestSupport.Netns;
using Xunit.Abstractions;

namespace Beacon.NodeAgent.Tests.StaticStability;

/// <summary>
/// Issue 5, static stability, against the real agents of <see cref="AgentLab"/>: with nats-server dead for 30 s under a
/// steady state, no agent withdraws anything (watched on the kernel's own address notifications, not sampled), local
/// addresses outlive their 10 s lifetime because agents keep refreshing them, and allocation changes made by the
/// Allocator meanwhile are plumbed within 2 s of the server accepting connections again.
/// </summary>
[Collection(nameof(AgentLabCollection))]
public sealed class StaticStabilityTests(AgentLab lab, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ApplyTarget = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan AgentLifetime = TimeSpan.FromSeconds(10); // NodeAgentOptions.AddressLifetime default

    /// <summary>Released while the bus is down: three node-local addresses, spread over the nodes by the election.</summary>
    private static readonly ServiceKey Released = new("default", "spread");
    private static readonly string[] ReleasedAddresses = ["198.18.0.201/32", "198.18.0.202/32", "198.18.0.203/32"];

    /// <summary>Allocated while the bus is down: one node-local address and one for kube-lb0.</summary>
    private static readonly ServiceKey Arrived = new("default", "arrived");
    private const string ArrivedLocal = "198.18.0.210/32";
    private const string ArrivedRemote = "203.0.113.20/32";

    public Task InitializeAsync() => lab.ResetAsync();

    public async Task DisposeAsync()
    {
        foreach (var node in AgentLab.NodeNames)
        {
            var lines = lab.Agent(node).Output.Split('\n');
            output.WriteLine($"--- {node} agent, last lines ---\n" + string.Join('\n', lines.TakeLast(25)));
        }

        await lab.AssertForeignAddressesIntactAsync();
    }

    [Fact]
    public async Task Thirty_seconds_without_nats_withdraw_nothing_and_changes_made_meanwhile_apply_within_two_seconds_of_its_return()
    {
        var before = await lab.EverythingPlumbedAsync();
        var releasedOn = ReleasedAddresses.ToDictionary(a => a, a => Baseline.Winner(a, AgentLab.NodeNames));
        foreach (var (address, holder) in releasedOn)
        {
            before.Should().Contain(Line(holder, "eth0", address), "the service to release is plumbed before the outage");
        }

        var arrivals = AgentLab.NodeNames.Select(n => Line(n, "kube-lb0", ArrivedRemote))
            .Append(Line(Baseline.Winner(ArrivedLocal, AgentLab.NodeNames), "eth0", ArrivedLocal)).ToArray();
        var expected = new SortedSet<string>(before.Except(releasedOn.Select(r => Line(r.Value, "eth0", r.Key))).Concat(arrivals), StringComparer.Ordinal);

        var clock = Stopwatch.StartNew();
        var watches = new List<AddressEventWatch>();
        try
        {
            foreach (var node in AgentLab.NodeNames)
            {
                watches.Add(await AddressEventWatch.StartAsync(lab.Nodes[node], node, clock));
            }

            var busDownLogs = AgentLab.NodeNames.ToDictionary(n => n, n => CountBusDown(n));
            var killedAt = clock.Elapsed;
            TimeSpan restartedAt;
            var lowestLifetime = int.MaxValue;
            try
            {
                await lab.KillNatsAsync();
                await AgentLab.EventuallyAsync(
                    () => Task.FromResult(AgentLab.NodeNames.All(n => CountBusDown(n) > busDownLogs[n])),
                    TimeSpan.FromSeconds(10), "every agent notices the bus is gone (else this test proves nothing)");

                // The Allocator keeps working while the bus is down: its changes cannot reach anyone yet.
                (await lab.Publisher.PublishChangeAsync(Baseline.Service(Arrived, TrafficPolicy.Cluster, [], ArrivedLocal, ArrivedRemote))).Should().NotBeNull();
                (await lab.Publisher.PublishReleaseAsync(Released)).Should().BeTrue();

                while (clock.Elapsed - killedAt < Outage)
                {
                    var now = await lab.EverythingPlumbedAsync();
                    now.Should().BeEquivalentTo(before, "with the bus down agents keep exactly what they plumbed ({0:F1} s into the outage)", (clock.Elapsed - killedAt).TotalSeconds);
                    lowestLifetime = Math.Min(lowestLifetime, await LowestLocalLifetimeAsync());
                    await Task.Delay(TimeSpan.FromSeconds(1));
                }
            }
            finally
            {
                // Restart whatever happened above, so the shared lab is usable by the next test.
                restartedAt = clock.Elapsed;
                if (lab.NatsServer.HasExited)
                {
                    lab.StartNats();
                }
            }

            var acceptedAt = await NatsAcceptProbe.WaitAcceptingAsync(lab.Control.Name, new IPEndPoint(IPAddress.Parse(AgentLab.Nats), 4222), clock, TimeSpan.FromSeconds(20));
            await AgentLab.EventuallyAsync(
                async () => (await lab.EverythingPlumbedAsync()).SetEquals(expected),
                TimeSpan.FromSeconds(15), "the changes made during the outage are plumbed, and nothing else moved");

            // Timing from the kernel's notifications, not from polling: when did each change land?
            var events = watches.SelectMany(w => w.Events).Where(e => e.Device != "lo").OrderBy(e => e.At).ToList();
            var landed = new List<(string What, TimeSpan At)>();
            foreach (var (address, holder) in releasedOn)
            {
                landed.Add(($"{address} withdrawn from {holder}", events.First(e => e.Deleted && e.Node == holder && e.Address == address).At));
            }

            foreach (var node in AgentLab.NodeNames)
            {
                landed.Add(($"{ArrivedRemote} on {node} kube-lb0", events.First(e => !e.Deleted && e.At > restartedAt && e.Node == node && e.Device == "kube-lb0" && e.Address == ArrivedRemote).At));
            }

            var arrivedOn = Baseline.Winner(ArrivedLocal, AgentLab.NodeNames);
            landed.Add(($"{ArrivedLocal} on {arrivedOn} eth0", events.First(e => !e.Deleted && e.At > restartedAt && e.Node == arrivedOn && e.Device == "eth0" && e.Address == ArrivedLocal).At));

            var refreshes = events.Count(e => !e.Deleted && e.At > killedAt && e.At < restartedAt && e.Device == "eth0" && Baseline.LocalAddresses.Contains(e.Address));
            output.WriteLine($"outage: nats-server killed at {killedAt.TotalSeconds:F3} s, restarted at {restartedAt.TotalSeconds:F3} s ({(restartedAt - killedAt).TotalSeconds:F1} s down), accepting at {acceptedAt.TotalSeconds:F3} s");
            output.WriteLine($"during the outage: {events.Count(e => e.Deleted && e.At < restartedAt)} deletions, {refreshes} lifetime refreshes of the {Baseline.LocalAddresses.Length} local addresses, lowest valid_lft sampled {lowestLifetime} s");
            foreach (var (what, at) in landed)
            {
                output.WriteLine($"  {what}: {(at - acceptedAt).TotalMilliseconds:F0} ms after nats-server accepted connections ({(at - restartedAt).TotalMilliseconds:F0} ms after it was started)");
            }

            var applied = landed.Max(l => l.At) - acceptedAt;
            output.WriteLine($"all changes applied {applied.TotalMilliseconds:F0} ms after nats-server accepted connections");

            // Zero withdrawals because of the bus: the only deletions anywhere are the released service's addresses,
            // each on the node that held it, and none before the server was back.
            events.Where(e => e.Deleted && !(e.At > restartedAt && releasedOn.TryGetValue(e.Address, out var holder) && holder == e.Node))
                .Select(e => e.ToString()).Should().BeEmpty("nothing is withdrawn because the bus is down; a release takes effect once the bus is back");
            lowestLifetime.Should().BeLessThanOrEqualTo((int)AgentLifetime.TotalSeconds, "local addresses carry a finite lifetime, so surviving the outage means agents kept refreshing them");
            applied.Should().BeLessThan(ApplyTarget, "changes made while the bus was down apply within 2 s of its return");

            // No claim of someone else's address after the return (peers reconnect at different times).
            await Task.Delay(TimeSpan.FromSeconds(3));
            (await lab.EverythingPlumbedAsync()).Should().BeEquivalentTo(expected, "nothing moves once the bus is back and peers are heard again");
            var allowed = new HashSet<string>(before.Concat(arrivals), StringComparer.Ordinal);
            watches.SelectMany(w => w.Events).Where(e => e.Device != "lo" && !e.Deleted && !allowed.Contains(Line(e.Node, e.Device, e.Address)))
                .Select(e => e.ToString()).Should().BeEmpty("no agent plumbed an address it did not hold before or was newly allocated");
        }
        finally
        {
            foreach (var watch in watches)
            {
                await watch.DisposeAsync();
            }
        }
    }

    private static string Line(string node, string device, string address) => $"{node} {device} {address}";

    private int CountBusDown(string node)
    {
        var text = lab.Agent(node).Output;
        var count = 0;
        for (var at = text.IndexOf("Bus unreachable", StringComparison.Ordinal); at >= 0; at = text.IndexOf("Bus unreachable", at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>The smallest remaining valid lifetime (seconds) among the baseline local addresses; int.MaxValue counts "forever".</summary>
    private async Task<int> LowestLocalLifetimeAsync()
    {
        var lowest = int.MaxValue;
        foreach (var address in Baseline.LocalAddresses)
        {
            var holder = Baseline.Winner(address, AgentLab.NodeNames);
            var shown = await lab.Nodes[holder].ExecAsync("ip", "-o", "addr", "show", "dev", "eth0", "to", address);
            var words = shown.StandardOutput.Split([' ', '\t', '\\'], StringSplitOptions.RemoveEmptyEntries);
            var at = Array.IndexOf(words, "valid_lft");
            if (at >= 0 && at + 1 < words.Length && words[at + 1].EndsWith("sec", StringComparison.Ordinal)
                && int.TryParse(words[at + 1].AsSpan(0, words[at + 1].Length - 3), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                lowest = Math.Min(lowest, seconds);
            }
        }

        return lowest;
    }
}
