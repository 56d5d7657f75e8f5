using System.Text;
using Beacon.Contracts;
using Beacon.Messaging;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Tests.Bus;
using Beacon.TestSupport.Nats;

namespace Beacon.Messaging.Tests.DesiredState;

public sealed class ReplicationTests : IClassFixture<NatsServerFixture>
{
    private readonly NatsServer _server;

    public ReplicationTests(NatsServerFixture fixture) => _server = fixture.Server;

    [Fact]
    public async Task A_replica_started_late_fetches_ten_thousand_services_in_pages()
    {
        await using var allocatorBus = await Buses.ConnectAsync(_server);
        await using var publisher = new DesiredStatePublisher(allocatorBus);
        await publisher.StartAsync();
        for (var i = 0; i < 10_000; i++)
        {
            await publisher.PublishChangeAsync(SampleAllocations.For(i));
        }

        await using var agentBus = await Buses.ConnectAsync(_server);
        await using var replica = new DesiredStateReplica(agentBus, new DesiredStateReplicaOptions { SnapshotPageSize = 500 });
        await replica.StartAsync();

        var view = await replica.ConvergesTo(publisher);
        view.Hash().Should().Be(publisher.CurrentDigest().Hash);
        publisher.Counters.Get(MessagingCounter.SnapshotServed).Should().BeGreaterThanOrEqualTo(20);
        replica.Counters.Get(MessagingCounter.SnapshotApplied).Should().Be(1);
    }

    [Fact]
    public async Task Changes_and_releases_reach_a_synchronised_replica_without_snapshots()
    {
        await using var allocatorBus = await Buses.ConnectAsync(_server);
        await using var publisher = new DesiredStatePublisher(allocatorBus);
        await publisher.StartAsync();
        await publisher.PublishChangeAsync(SampleAllocations.For(1));
        await using var agentBus = await Buses.ConnectAsync(_server);
        await using var replica = new DesiredStateReplica(agentBus);
        var changed = new List<ServiceKey>();
        replica.Changed += (_, e) => changed.AddRange(e.ChangedServices);
        await replica.StartAsync();
        await replica.ConvergesTo(publisher);

        await publisher.PublishChangeAsync(SampleAllocations.For(2));
        await publisher.PublishChangeAsync(SampleAllocations.For(1, variant: 1));
        await publisher.PublishReleaseAsync(SampleAllocations.Key(2));

        var view = await replica.ConvergesTo(publisher);
        view.Services.Keys.Should().Equal(SampleAllocations.Key(1));
        view.Services[SampleAllocations.Key(1)].Ports.Single().Port.Should().Be(81);
        replica.Counters.Get(MessagingCounter.SnapshotApplied).Should().Be(1);
        changed.Should().Contain([SampleAllocations.Key(2), SampleAllocations.Key(1)]);
    }

    [Fact]
    public async Task A_lost_event_is_detected_as_a_gap_and_repaired_by_a_snapshot()
    {
        await using var allocatorBus = await Buses.ConnectAsync(_server);
        await using var publisher = new DesiredStatePublisher(allocatorBus);
        await publisher.StartAsync();
        var lost = 0;
        var lossy = new LossyBus(await Buses.ConnectAsync(_server), m =>
            m.Subject == Subjects.Allocation(SampleAllocations.Key(5)) && Interlocked.Exchange(ref lost, 1) == 0);
        await using var replica = new DesiredStateReplica(lossy);
        await replica.StartAsync();
        await replica.ConvergesTo(publisher);

        for (var i = 0; i < 10; i++)
        {
            await publisher.PublishChangeAsync(SampleAllocations.For(i));
        }

        var view = await replica.ConvergesTo(publisher);
        lost.Should().Be(1);
        view.Services.Should().ContainKey(SampleAllocations.Key(5));
        replica.Counters.Get(MessagingCounter.GapDetected).Should().BeGreaterThanOrEqualTo(1);
        replica.Counters.Get(MessagingCounter.SnapshotApplied).Should().BeGreaterThanOrEqualTo(2);
        await lossy.DisposeAsync();
    }

    [Fact]
    public async Task A_new_allocator_epoch_replaces_the_replicas_state()
    {
        await using var allocatorBus = await Buses.ConnectAsync(_server);
        await using var agentBus = await Buses.ConnectAsync(_server);
        await using var replica = new DesiredStateReplica(agentBus);
        var first = new DesiredStatePublisher(allocatorBus);
        await first.StartAsync();
        await first.PublishChangeAsync(SampleAllocations.For(1));
        await first.PublishChangeAsync(SampleAllocations.For(2));
        await replica.StartAsync();
        await replica.ConvergesTo(first);
        await first.DisposeAsync();

        await using var second = new DesiredStatePublisher(allocatorBus);
        await second.StartAsync();
        await second.PublishChangeAsync(SampleAllocations.For(3));

        var view = await replica.ConvergesTo(second);
        view.Services.Keys.Should().Equal(SampleAllocations.Key(3));
        replica.Counters.Get(MessagingCounter.EpochChanged).Should().BeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task Silent_divergence_is_found_by_the_digest_and_repaired()
    {
        await using var allocatorBus = await Buses.ConnectAsync(_server);
        await using var publisher = new DesiredStatePublisher(allocatorBus, new DesiredStatePublisherOptions { DigestInterval = TimeSpan.FromMilliseconds(200) });
        await publisher.StartAsync();
        await publisher.PublishChangeAsync(SampleAllocations.For(1));
        await using var agentBus = await Buses.ConnectAsync(_server);
        await using var replica = new DesiredStateReplica(agentBus);
        await replica.StartAsync();
        await replica.ConvergesTo(publisher);

        // Someone without permissions in this open test server injects the next sequence number with other content;
        // the real event with that number is then a duplicate, so only the digest can reveal the difference.
        await using var rogue = await Buses.ConnectAsync(_server);
        var forged = SampleAllocations.For(9) with { Service = SampleAllocations.Key(2), Sequence = publisher.Sequence + 1, Epoch = publisher.Epoch };
        await rogue.PublishEventAsync(Subjects.Allocation(forged.Service), EventTypes.AllocationChanged, forged, "/rogue");
        await replica.WaitForAsync(v => v.Sequence == publisher.Sequence + 1);
        await publisher.PublishChangeAsync(SampleAllocations.For(2));

        await replica.WaitForAsync(v => v.Synchronized && v.Sequence == publisher.Sequence && v.Hash() == publisher.CurrentDigest().Hash)
            .WaitAsync(TimeSpan.FromSeconds(10));
        replica.Counters.Get(MessagingCounter.DigestMismatch).Should().BeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task Garbage_and_unknown_major_versions_are_dropped_counted_and_harmless()
    {
        await using var allocatorBus = await Buses.ConnectAsync(_server);
        await using var publisher = new DesiredStatePublisher(allocatorBus);
        await publisher.StartAsync();
        await using var agentBus = await Buses.ConnectAsync(_server);
        await using var replica = new DesiredStateReplica(agentBus);
        await replica.StartAsync();
        await replica.ConvergesTo(publisher);
        await using var rogue = await Buses.ConnectAsync(_server);
        var subject = Subjects.Allocation(SampleAllocations.Key(1));

        await rogue.PublishAsync(subject, "not json at all"u8.ToArray());
        var v2 = Encoding.UTF8.GetString(CloudEventCodec.Encode(EventTypes.AllocationChanged, SampleAllocations.For(1) with { Sequence = 1, Epoch = publisher.Epoch }, "/future"))
            .Replace("io.beacon.allocation.changed.v1", "io.beacon.allocation.changed.v2", StringComparison.Ordinal);
        await rogue.PublishAsync(subject, Encoding.UTF8.GetBytes(v2));
        await rogue.PublishAsync(subject, "{\"specversion\":\"2.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"io.beacon.allocation.changed.v1\",\"data\":{}}"u8.ToArray());
        var misrouted = SampleAllocations.For(7) with { Sequence = 1, Epoch = publisher.Epoch };
        await rogue.PublishEventAsync(subject, EventTypes.AllocationChanged, misrouted, "/rogue");
        (await rogue.FlushAsync(TimeSpan.FromSeconds(5))).Should().BeTrue("the server has routed the garbage before the real event");
        await publisher.PublishChangeAsync(SampleAllocations.For(1));

        var view = await replica.ConvergesTo(publisher);
        view.Services.Keys.Should().Equal(SampleAllocations.Key(1));
        replica.Counters.GetDropped(DecodeErrorKind.MalformedJson).Should().Be(1);
        replica.Counters.GetDropped(DecodeErrorKind.UnknownMajorVersion).Should().Be(1);
        replica.Counters.GetDropped(DecodeErrorKind.UnsupportedSpecVersion).Should().Be(1);
        replica.Counters.GetDropped(DecodeErrorKind.SubjectMismatch).Should().Be(1);
    }
}
