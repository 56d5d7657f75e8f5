using Beacon.KubeApiServer;
using Beacon.TestSupport.Processes;

namespace Beacon.Allocator.Tests.Integration;

/// <summary>Many Services, restarts, two replicas and API faults: addresses are correct, unique, and never move.</summary>
[Collection(nameof(AllocatorProcessTests))]
public sealed class ScaleAndFailoverTests
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(90);
    private const string First = "10.20.0.1";
    private const string Last = "10.20.15.254";

    private static void AssertCorrect(Dictionary<string, string> addresses, int expected)
    {
        addresses.Should().HaveCount(expected);
        addresses.Values.Should().OnlyHaveUniqueItems("no address may be held by two services");
        addresses.Values.Should().OnlyContain(a => AllocatorCluster.InRange(a, First, Last));
    }

    private static async Task<Dictionary<string, string>> AllAddressedAsync(AllocatorCluster cluster, int count) =>
        await AllocatorCluster.EventuallyAsync(cluster.Addresses, a => a.Count >= count, Converge,
            a => $"{a.Count}/{count} addressed\n{cluster.Transcripts()[^Math.Min(4000, cluster.Transcripts().Length)..]}");

    [Fact]
    public async Task A_thousand_services_get_unique_addresses_and_a_restart_mid_stream_moves_none()
    {
        await using var cluster = await AllocatorCluster.StartAsync();
        cluster.SeedGroup("default", "10.20.0.0/16", $"{First}-{Last}");
        var first = cluster.StartAllocator("first");
        for (var i = 0; i < 600; i++)
        {
            cluster.SeedService($"svc-{i:D4}", ns: $"ns-{i % 7}");
        }

        // Kill it while it is still working through the first batch.
        var before = await AllocatorCluster.EventuallyAsync(cluster.Addresses, a => a.Count >= 150, Converge, a => $"{a.Count} addressed\n{cluster.Transcripts()}");
        await first.DisposeAsync();
        var seenAtKill = cluster.Addresses();
        for (var i = 600; i < 1000; i++)
        {
            cluster.SeedService($"svc-{i:D4}", ns: $"ns-{i % 7}");
        }

        cluster.StartAllocator("second");
        var after = await AllAddressedAsync(cluster, 1000);

        AssertCorrect(after, 1000);
        before.Should().NotBeEmpty();
        foreach (var (service, address) in seenAtKill)
        {
            after[service].Should().Be(address, $"{service} had {address} before the restart");
        }

        // Nothing pending, every condition satisfied.
        cluster.Services().Should().OnlyContain(s => s.Status!.Conditions!.Single(c => c.Type == "beacon.io/AddressAssigned").Status == "True");
    }

    [Fact]
    public async Task Only_the_leader_writes_and_the_standby_takes_over_when_it_dies_moving_nothing()
    {
        await using var cluster = await AllocatorCluster.StartAsync();
        cluster.SeedGroup("default", "10.20.0.0/16", $"{First}-{Last}");
        for (var i = 0; i < 100; i++)
        {
            cluster.SeedService($"svc-{i:D3}");
        }

        var leader = cluster.StartAllocator("replica-a");
        await AllocatorCluster.EventuallyAsync(() => cluster.Lease()?.Spec?.HolderIdentity, h => h == "replica-a", Converge, h => $"holder {h}\n{cluster.Transcripts()}");
        var standby = cluster.StartAllocator("replica-b");
        await standby.WaitForLineAsync(new System.Text.RegularExpressions.Regex("campaigning as replica-b"), Converge);
        var beforeFailover = await AllAddressedAsync(cluster, 100);
        for (var i = 100; i < 150; i++)
        {
            cluster.SeedService($"svc-{i:D3}");
        }

        await AllAddressedAsync(cluster, 150);
        cluster.Server.Requests.WritesFrom("beacon-allocator/replica-b").Should().Be(0, "a standby must not write anything");
        cluster.Server.Requests.WritesFrom("beacon-allocator/replica-a").Should().BeGreaterThan(0);

        await leader.DisposeAsync(); // killed: no graceful lease release
        await AllocatorCluster.EventuallyAsync(() => cluster.Lease()?.Spec?.HolderIdentity, h => h == "replica-b", Converge, h => $"holder {h}\n{cluster.Transcripts()}");
        for (var i = 150; i < 200; i++)
        {
            cluster.SeedService($"svc-{i:D3}");
        }

        var after = await AllAddressedAsync(cluster, 200);
        AssertCorrect(after, 200);
        foreach (var (service, address) in beforeFailover)
        {
            after[service].Should().Be(address);
        }

        cluster.Server.Requests.WritesFrom("beacon-allocator/replica-b").Should().BeGreaterThan(0, "the new leader wrote the new services");
    }

    [Fact]
    public async Task A_leader_stopped_gracefully_hands_its_Lease_over_at_once_moving_nothing()
    {
        await using var cluster = await AllocatorCluster.StartAsync();
        cluster.SeedGroup("default", "10.20.0.0/16", $"{First}-{Last}");
        for (var i = 0; i < 50; i++)
        {
            cluster.SeedService($"svc-{i:D3}");
        }

        // A Lease far longer than the wait below: only a release lets the standby lead in time.
        string[] longLease = ["--lease-duration", "120s", "--lease-renew-deadline", "60s"];
        var leader = cluster.StartAllocator("replica-a", null, longLease);
        await AllocatorCluster.EventuallyAsync(() => cluster.Lease()?.Spec?.HolderIdentity, h => h == "replica-a", Converge, h => $"holder {h}\n{cluster.Transcripts()}");
        var standby = cluster.StartAllocator("replica-b", null, longLease);
        await standby.WaitForLineAsync(new System.Text.RegularExpressions.Regex("campaigning as replica-b"), Converge);
        var before = await AllAddressedAsync(cluster, 50);

        leader.Terminate(); // SIGTERM, as a rolling update stops a pod
        (await leader.WaitForExitAsync(Converge)).Should().Be(0, leader.Transcript);
        await AllocatorCluster.EventuallyAsync(() => cluster.Lease()?.Spec?.HolderIdentity, h => h == "replica-b", TimeSpan.FromSeconds(60),
            h => $"holder {h}\n{cluster.Transcripts()}");
        cluster.SeedService("svc-new");

        var after = await AllAddressedAsync(cluster, 51);
        AssertCorrect(after, 51);
        foreach (var (service, address) in before)
        {
            after[service].Should().Be(address);
        }
    }

    public static TheoryData<string> Faults() => new() { "dropped watches", "500 errors", "expired resource versions" };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Converges_after_a_fault(string fault)
    {
        await using var cluster = await AllocatorCluster.StartAsync();
        cluster.SeedGroup("default", "10.20.0.0/16", $"{First}-{Last}");
        for (var i = 0; i < 50; i++)
        {
            cluster.SeedService($"svc-{i:D3}");
        }

        cluster.StartAllocator("a");
        var before = await AllAddressedAsync(cluster, 50);

        switch (fault)
        {
            case "dropped watches":
                cluster.Server.Faults.DropWatches();
                break;
            case "500 errors":
                cluster.Server.Faults.FailNext(40, statusCode: 500);
                break;
            default:
                cluster.Server.Faults.ExpireResourceVersions();
                cluster.Server.Faults.DropWatches();
                break;
        }

        for (var i = 50; i < 100; i++)
        {
            cluster.SeedService($"svc-{i:D3}");
        }

        // A service deleted during the fault must release its address too.
        cluster.Server.Store.Delete(ApiResourceCatalog.ById("services"), "default", "svc-000");
        cluster.SeedService("late", annotations: new Dictionary<string, string> { ["purelb.io/addresses"] = before["default/svc-000"] });

        var after = await AllocatorCluster.EventuallyAsync(cluster.Addresses,
            a => a.Count == 100 && a.GetValueOrDefault("default/late") == before["default/svc-000"], Converge,
            a => $"{a.Count} addressed, late={a.GetValueOrDefault("default/late")}\n{cluster.Transcripts()[^Math.Min(4000, cluster.Transcripts().Length)..]}");
        AssertCorrect(after, 100);
        foreach (var (service, address) in before.Where(b => b.Key != "default/svc-000"))
        {
            after[service].Should().Be(address);
        }
    }
}
