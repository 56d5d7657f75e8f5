using System.Collections.Concurrent;
using Beacon.Kube.Client;
using Beacon.Kube.Config;
using Beacon.Kube.LeaderElection;
using Beacon.Kube.Models;

namespace Beacon.Kube.Tests;

public sealed class LeaderElectorTests
{
    private static LeaderElectionOptions Short(string identity) => new()
    {
        LeaseNamespace = "beacon-system",
        LeaseName = "allocator",
        Identity = identity,
        // Short, but with room for a loaded CI machine: renewals every 150 ms, a 1.2 s deadline.
        LeaseDuration = TimeSpan.FromSeconds(2),
        RenewDeadline = TimeSpan.FromMilliseconds(1200),
        RetryPeriod = TimeSpan.FromMilliseconds(150),
    };

    [Fact]
    public async Task Of_two_candidates_exactly_one_leads()
    {
        await using var cluster = await TestCluster.StartAsync();
        await using var a = Candidate.Start(cluster, Short("a"));
        await using var b = Candidate.Start(cluster, Short("b"));

        var first = await Task.WhenAny(a.Started.Task, b.Started.Task).WaitAsync(TimeSpan.FromSeconds(10));
        // Several renew periods: the standby must keep waiting while the leader renews.
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        (a.Elector.IsLeader ^ b.Elector.IsLeader).Should().BeTrue();
        a.Terms.Count.Should().Be(a.Elector.IsLeader ? 1 : 0);
        b.Terms.Count.Should().Be(b.Elector.IsLeader ? 1 : 0);
        var lease = cluster.Server.Read(KubeResources.Leases, "beacon-system", "allocator")!;
        var leader = await first;
        lease.Spec.HolderIdentity.Should().Be(leader);
        lease.Spec.LeaseTransitions.Should().Be(0);
        var standby = leader == "a" ? "b" : "a";
        cluster.Server.Requests.WritesFrom($"beacon-test/{standby}").Should().BeLessThanOrEqualTo(1, "the standby at most lost the race to create the lease");
        cluster.Server.Requests.WritesFrom($"beacon-test/{leader}").Should().BeGreaterThan(3, "the leader keeps renewing");
    }

    [Fact]
    public async Task A_lease_is_taken_over_only_after_it_went_unrenewed_for_its_duration_on_the_local_clock()
    {
        await using var cluster = await TestCluster.StartAsync();
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var leases = cluster.Client.For(KubeResources.Leases);
        var a = new LeaderElector(leases, new LeaderElectionOptions { LeaseNamespace = "ns", LeaseName = "l", Identity = "a" }, time: clock);
        var b = new LeaderElector(leases, new LeaderElectionOptions { LeaseNamespace = "ns", LeaseName = "l", Identity = "b" }, time: clock);

        (await a.TryAcquireOrRenewAsync(CancellationToken.None)).Should().BeTrue("an absent lease is created");
        (await b.TryAcquireOrRenewAsync(CancellationToken.None)).Should().BeFalse();
        b.ObservedLeader.Should().Be("a");

        clock.Advance(TimeSpan.FromSeconds(14));
        (await b.TryAcquireOrRenewAsync(CancellationToken.None)).Should().BeFalse("15 s have not passed since b saw the lease change");
        clock.Advance(TimeSpan.FromSeconds(2));
        (await b.TryAcquireOrRenewAsync(CancellationToken.None)).Should().BeTrue();

        var lease = cluster.Server.Read(KubeResources.Leases, "ns", "l")!;
        lease.Spec.HolderIdentity.Should().Be("b");
        lease.Spec.LeaseTransitions.Should().Be(1);
        lease.Spec.LeaseDurationSeconds.Should().Be(15);
        lease.Spec.AcquireTime.Should().Be(clock.GetUtcNow());
        (await a.TryAcquireOrRenewAsync(CancellationToken.None)).Should().BeFalse("a sees b's fresh lease and must not take it back");
    }

    [Fact]
    public async Task Standby_takes_over_from_a_partitioned_leader_without_overlap()
    {
        await using var cluster = await TestCluster.StartAsync();
        var partition = new BreakableHandler();
        await using var leader = Candidate.Start(cluster, Short("leader"), partition);
        await leader.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await using var standby = Candidate.Start(cluster, Short("standby"));

        partition.Broken = true;
        await standby.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var oldTerm = leader.Terms.Should().ContainSingle().Subject;
        oldTerm.End.Should().NotBeNull("the partitioned leader must have stepped down");
        standby.Terms.Single().Start.Should().BeAfter(oldTerm.End!.Value, "two leaders must never overlap");

        var writes = cluster.Server.History(KubeResources.Leases, "beacon-system", "allocator").Select(h => h.Object.Spec).ToList();
        var takeover = writes.FindIndex(s => s.HolderIdentity == "standby");
        takeover.Should().BeGreaterThan(0);
        writes[takeover].LeaseTransitions.Should().Be(1);
        writes.Skip(takeover).Should().OnlyContain(s => s.HolderIdentity == "standby", "the old leader never writes after the takeover");
    }

    [Fact]
    public async Task Graceful_shutdown_releases_the_lease_so_the_standby_takes_over_before_expiry()
    {
        await using var cluster = await TestCluster.StartAsync();
        var slowExpiry = Short("leader");
        slowExpiry.LeaseDuration = TimeSpan.FromSeconds(30);
        var leader = Candidate.Start(cluster, slowExpiry);
        await leader.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var standbyOptions = Short("standby");
        standbyOptions.LeaseDuration = TimeSpan.FromSeconds(30);
        await using var standby = Candidate.Start(cluster, standbyOptions);

        var stoppedAt = DateTime.UtcNow;
        await leader.DisposeAsync();
        await standby.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        (DateTime.UtcNow - stoppedAt).Should().BeLessThan(TimeSpan.FromSeconds(10), "a released lease is taken without waiting 30 s");
        leader.Stopped.Should().BeTrue();
    }

    [Fact]
    public async Task Leader_work_that_crashes_releases_the_lease_and_surfaces_the_error()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var client = cluster.NewClient();
        var elector = new LeaderElector(client.For(KubeResources.Leases), Short("crasher"));

        var run = () => elector.RunAsync(_ => throw new InvalidOperationException("boom"), () => { }, CancellationToken.None);

        (await run.Should().ThrowAsync<InvalidOperationException>().WaitAsync(TimeSpan.FromSeconds(10))).WithInnerException<InvalidOperationException>().WithMessage("boom");
        cluster.Server.Read(KubeResources.Leases, "beacon-system", "allocator")!.Spec.HolderIdentity.Should().BeNull();
    }

    [Fact]
    public void Options_that_could_allow_two_leaders_are_rejected_with_a_reason()
    {
        var options = new LeaderElectionOptions { LeaseDuration = TimeSpan.FromSeconds(5), RenewDeadline = TimeSpan.FromSeconds(10) };

        options.Validate().Should().ContainSingle().Which.Should().Contain("LeaseDuration").And.Contain("RenewDeadline");
        new LeaderElectionOptions().Validate().Should().BeEmpty();
        new LeaderElectionOptions { RetryPeriod = TimeSpan.Zero }.Validate().Should().Contain(e => e.Contains("RetryPeriod", StringComparison.Ordinal));
    }

    private sealed record Term(DateTime Start)
    {
        public DateTime? End { get; set; }
    }

    /// <summary>A candidate process: its own client (optionally partitionable), elector and leadership terms.</summary>
    private sealed class Candidate : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly KubeApiClient _client;
        private Task _running = Task.CompletedTask;

        private Candidate(KubeApiClient client, LeaderElector elector)
        {
            _client = client;
            Elector = elector;
        }

        public LeaderElector Elector { get; }

        public TaskCompletionSource<string> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<Term> Terms { get; } = new();

        public bool Stopped { get; private set; }

        public static Candidate Start(TestCluster cluster, LeaderElectionOptions options, HttpMessageHandler? handler = null)
        {
            var connection = new KubeConnection { Server = cluster.Server.BaseAddress };
            var clientOptions = new KubeClientOptions { Qps = 1000, Burst = 1000, RequestTimeout = TimeSpan.FromSeconds(1), UserAgent = $"beacon-test/{options.Identity}" };
            var client = handler is null ? new KubeApiClient(connection, clientOptions) : new KubeApiClient(connection, handler, clientOptions);
            var candidate = new Candidate(client, new LeaderElector(client.For(KubeResources.Leases), options));
            candidate._running = candidate.Elector.RunAsync(
                async ct =>
                {
                    candidate.Terms.Enqueue(new Term(DateTime.UtcNow));
                    candidate.Started.TrySetResult(options.Identity);
                    await Task.Delay(Timeout.Infinite, ct);
                },
                () =>
                {
                    candidate.Terms.Last().End = DateTime.UtcNow;
                    candidate.Stopped = true;
                },
                candidate._stop.Token);
            return candidate;
        }

        public async ValueTask DisposeAsync()
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            await _stop.CancelAsync();
            await _running.WaitAsync(TimeSpan.FromSeconds(10));
            _client.Dispose();
        }
    }
}
