using System.Diagnostics;
using System.Globalization;
using Beacon.TestSupport.Netns;
using Xunit.Abstractions;

namespace Beacon.Lab.Tests.Cluster;

/// <summary>
/// Issue 12, item 5, with Beacon's real processes: while Services are added, changed and removed, the server leading
/// the BEACON_ALLOCATIONS stream (3 replicas) is killed with SIGKILL. Nothing is lost (every change converges on every
/// node), nothing is withdrawn (the kernel's own address notifications show no Service that still exists losing an
/// address anywhere) and every client fails over to the servers that remain.
/// </summary>
[Collection(nameof(ClusterLabCollection))]
public sealed class StreamLeaderKillTests(ClusterLab lab, ITestOutputHelper output)
{
    private const string Stream = "BEACON_ALLOCATIONS";
    private static readonly TimeSpan StepPause = TimeSpan.FromMilliseconds(400);
    private const int Steps = 20;
    private const int KillAfterStep = 5;

    [Fact]
    public async Task Killing_the_stream_leaders_server_while_services_change_loses_no_change_and_withdraws_nothing()
    {
        await lab.WaitConvergedAsync(TimeSpan.FromSeconds(30), "the lab converged before the test");
        var stable = lab.Assigned().Where(a => ClusterLab.StableServices.Any(s => "demo/" + s.Name == a.Key)).SelectMany(a => a.Value).ToHashSet(StringComparer.Ordinal);
        stable.Should().HaveCount(ClusterLab.StableServices.Count);
        var holdersBefore = (await lab.PlumbedAsync()).Where(p => stable.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var (leader, cutOff) = await lab.LeadFromBusiestServerAsync(Stream);
        output.WriteLine($"{Stream} led by {leader}, where these clients are connected: {string.Join(", ", cutOff)}");
        cutOff.Should().NotBeEmpty("the kill must cut some of Beacon's clients off, or failover is not shown");
        var replicas = (await lab.Nats.StreamAtLeaderAsync(Stream))!.Followers.Count + 1;
        replicas.Should().Be(3, "the Allocator creates the stream with --nats-stream-replicas 3");

        var clock = Stopwatch.StartNew();
        var watches = new List<AddressEventWatch>();
        try
        {
            foreach (var node in ClusterLab.NodeNames)
            {
                watches.Add(await AddressEventWatch.StartAsync(lab.Nodes[node], node, clock));
            }

            var living = new List<(string Name, string Group)>();
            var created = 0;
            TimeSpan killedAt = default;
            string? newLeader = null;
            for (var step = 0; step < Steps; step++)
            {
                if (step == KillAfterStep)
                {
                    output.WriteLine($"{clock.Elapsed.TotalSeconds:F3} s ({DateTime.UtcNow:HH:mm:ss.fff} UTC): killing {leader}, leader of {Stream}");
                    await lab.Nats.Member(leader).KillAsync();
                    killedAt = clock.Elapsed;
                    output.WriteLine($"{killedAt.TotalSeconds:F3} s ({DateTime.UtcNow:HH:mm:ss.fff} UTC): {leader} is dead");
                }

                // Add, add, change (flip the newest between a node-local and a remote pool), remove the oldest.
                switch (step % 4)
                {
                    case 1 when living.Count > 0:
                        var (name, group) = living[^1];
                        var flipped = group == "churn-lan" ? "churn-remote" : "churn-lan";
                        await lab.WriteServiceAsync(name, flipped);
                        living[^1] = (name, flipped);
                        output.WriteLine($"{clock.Elapsed.TotalSeconds:F3} s: changed {name} to {flipped}");
                        break;
                    case 3 when living.Count > 0:
                        lab.DeleteService(living[0].Name);
                        output.WriteLine($"{clock.Elapsed.TotalSeconds:F3} s: removed {living[0].Name}");
                        living.RemoveAt(0);
                        break;
                    default:
                        var added = ("churn-" + (++created).ToString(CultureInfo.InvariantCulture), created % 2 == 0 ? "churn-remote" : "churn-lan");
                        await lab.WriteServiceAsync(added.Item1, added.Item2);
                        living.Add(added);
                        output.WriteLine($"{clock.Elapsed.TotalSeconds:F3} s: added {added.Item1} in {added.Item2}");
                        break;
                }

                await Task.Delay(StepPause);
            }

            var changesDone = clock.Elapsed;
            newLeader = await lab.Nats.WaitForStreamLeaderAsync(Stream, not: leader);
            var converged = await lab.WaitConvergedAsync(TimeSpan.FromSeconds(30), "every change made around the kill plumbed on every node");
            output.WriteLine($"new leader of {Stream}: {newLeader}; converged {converged.TotalMilliseconds:F0} ms after the last change ({(changesDone + converged - killedAt).TotalSeconds:F1} s after the kill)");
            foreach (var (service, addresses) in lab.Assigned().OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                output.WriteLine($"  {service}: {string.Join(", ", addresses)}");
            }

            // Let the agents' periodic re-reads pass: still nothing may move.
            await Task.Delay(TimeSpan.FromSeconds(2));
            (await lab.DivergenceAsync()).Should().BeEmpty();

            // Nothing withdrawn: no node that held an address of an untouched Service ever removed it, and afterwards
            // exactly the same nodes hold exactly the same addresses. A node whose own server died is cut off until its
            // client notices and reconnects; if that takes longer than the peer timeout (3 × 100 ms heartbeats), its
            // peers do what docs/architecture.md describes for a node cut off from NATS: one of them also takes its
            // node-local addresses and gives them back (withdraws its interim copy) once the node is heard again.
            var events = watches.SelectMany(w => w.Events).Where(e => e.Device != "lo").OrderBy(e => e.At).ToList();
            static string Bare(AddressEvent e) => e.Address.Split('/')[0];
            bool Held(AddressEvent e) => holdersBefore[Bare(e)].Contains($"{e.Node} {e.Device}");
            var interim = events.Where(e => stable.Contains(Bare(e)) && !Held(e)).ToList();
            output.WriteLine($"{events.Count(e => e.Deleted)} address deletions in all; by holders of untouched Services' addresses: " +
                $"{events.Count(e => e.Deleted && stable.Contains(Bare(e)) && Held(e))}; interim copies on cut-off nodes' peers: " +
                (interim.Count == 0 ? "none" : string.Join("; ", interim)));
            events.Where(e => e.Deleted && stable.Contains(Bare(e)) && Held(e)).Select(e => e.ToString())
                .Should().BeEmpty("no node withdraws an address of a Service that still exists while a server dies");
            (await lab.PlumbedAsync()).Where(p => stable.Contains(p.Key)).Should().BeEquivalentTo(holdersBefore, "the untouched Services end where they were");
            interim.Where(e => e.Deleted).Select(e => Bare(e)).Should().BeEquivalentTo(interim.Where(e => !e.Deleted).Select(e => Bare(e)).Distinct(),
                "an interim copy taken from a cut-off node is given back once");

            // Every client listed all three servers and is now connected to one that survived.
            var connections = await lab.ConnectionsAsync();
            connections.Keys.Should().NotContain(leader);
            var names = connections.Values.SelectMany(n => n).ToList();
            output.WriteLine("clients: " + string.Join("; ", connections.Select(c => $"{c.Key}: {string.Join(", ", c.Value)}")));
            names.Should().Contain(ClusterLab.NodeNames.Select(n => "nodeagent-" + n));
            names.Should().Contain(n => n.StartsWith("beacon-allocator-", StringComparison.Ordinal));
        }
        finally
        {
            foreach (var watch in watches)
            {
                await watch.DisposeAsync();
            }

            output.WriteLine(lab.Transcripts());
            if (Environment.GetEnvironmentVariable("BEACON_CLUSTERLAB_DUMP") is { Length: > 0 } dump)
            {
                foreach (var node in ClusterLab.NodeNames)
                {
                    await File.WriteAllTextAsync(Path.Combine(dump, node + ".log"), lab.Agent(node).Transcript);
                }

                await File.WriteAllTextAsync(Path.Combine(dump, "allocator.log"), lab.Allocator.Transcript);
            }

            // The next test in the collection expects all three servers.
            await lab.Nats.Member(leader).StartAsync();
        }
    }
}
