using System.Diagnostics;
using Beacon.Contracts;
using Beacon.NodeAgent.Tests.Lab;
using Beacon.TestSupport.Netns;
using Xunit.Abstractions;

namespace Beacon.NodeAgent.Tests.StaticStability;

/// <summary>
/// Issue 12, item 3: nats-server restarted with its JetStream storage wiped, against the real agents of
/// <see cref="AgentLab"/>. The streams come back empty; no agent withdraws anything (kernel address notifications,
/// not samples), the Allocator (the lab's publisher) repopulates the desired state, and every node converges on it,
/// including a change made while the server was down.
/// </summary>
[Collection(nameof(AgentLabCollection))]
public sealed class WipedStorageTests(AgentLab lab, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly ServiceKey Arrived = new("default", "arrived-after-wipe");
    private const string ArrivedRemote = "203.0.113.30/32";

    public Task InitializeAsync() => lab.ResetAsync();

    public async Task DisposeAsync()
    {
        // Leave the shared lab as the next test expects it.
        await lab.Publisher.PublishReleaseAsync(Arrived);
        await lab.AssertForeignAddressesIntactAsync();
    }

    [Fact]
    public async Task Nats_restarted_without_its_storage_withdraws_nothing_and_every_node_converges_on_the_repopulated_state()
    {
        var before = await lab.EverythingPlumbedAsync();
        var expected = new SortedSet<string>(before.Concat(AgentLab.NodeNames.Select(n => $"{n} kube-lb0 {ArrivedRemote}")), StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var watches = new List<AddressEventWatch>();
        try
        {
            foreach (var node in AgentLab.NodeNames)
            {
                watches.Add(await AddressEventWatch.StartAsync(lab.Nodes[node], node, clock));
            }

            await lab.KillNatsAndWipeStorageAsync();
            (await lab.Publisher.PublishChangeAsync(Baseline.Service(Arrived, TrafficPolicy.Cluster, [], ArrivedRemote))).Should().NotBeNull();
            lab.StartNats();

            var converged = await AgentLab.EventuallyAsync(
                async () => (await lab.EverythingPlumbedAsync()).SetEquals(expected),
                TimeSpan.FromSeconds(20), "every node plumbs the repopulated desired state, including the change made while NATS was down");
            output.WriteLine($"converged {converged.TotalMilliseconds:F0} ms after nats-server was restarted with empty storage; publisher unstored: {lab.Publisher.Unstored}");

            // Let a few stream checks and agent re-reads pass: still nothing may go.
            await Task.Delay(TimeSpan.FromSeconds(3));
            (await lab.EverythingPlumbedAsync()).Should().BeEquivalentTo(expected, "nothing moves once the stream is repopulated");
            watches.SelectMany(w => w.Events).Where(e => e.Deleted && e.Device != "lo").Select(e => e.ToString())
                .Should().BeEmpty("an empty stream is not a release: no agent withdraws anything");
            lab.Publisher.Counters.Get(Beacon.Messaging.MessagingCounter.StreamRepopulated).Should().BeGreaterThanOrEqualTo(1);
        }
        finally
        {
            if (lab.NatsServer.HasExited)
            {
                lab.StartNats();
            }

            foreach (var watch in watches)
            {
                await watch.DisposeAsync();
            }
        }
    }
}
