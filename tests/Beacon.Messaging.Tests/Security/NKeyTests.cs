using Beacon.Contracts;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Tests.Bus;
using Beacon.Messaging.Tests.DesiredState;
using NATS.NKeys;

namespace Beacon.Messaging.Tests.Security;

/// <summary>NKey users (a seed file per component, the server lists public keys) with the shipped permissions, on a real nats-server.</summary>
public sealed class NKeyTests(NKeyUsersServer fixture) : IClassFixture<NKeyUsersServer>
{
    [Fact]
    public async Task Components_connect_with_their_nkey_seed_and_a_forged_allocation_published_with_an_agents_nkey_changes_nothing()
    {
        await using var allocatorBus = await As("allocator");
        await using var publisher = new DesiredStatePublisher(allocatorBus);
        await publisher.StartAsync();
        await publisher.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        await publisher.PublishChangeAsync(SampleAllocations.For(1));
        await using var observerBus = await As("node-b");
        await using var replica = new DesiredStateReplica(observerBus);
        await replica.StartAsync();
        await replica.ConvergesTo(publisher);

        await using var agent = await As("node-a");
        var forged = SampleAllocations.For(1, variant: 1) with { Sequence = publisher.Sequence + 1, Epoch = publisher.Epoch };
        (await agent.PublishEventAsync(Subjects.Allocation(forged.Service), EventTypes.AllocationChanged, forged, "/rogue")).Should().BeTrue();
        (await agent.FlushAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
        await publisher.PublishChangeAsync(SampleAllocations.For(2));

        var view = await replica.ConvergesTo(publisher);
        await Beacon.TestSupport.Daemons.Eventually.MatchesAsync(
            () => Task.FromResult(agent.Counters.Get(MessagingCounter.PermissionViolation)), n => n >= 1, TimeSpan.FromSeconds(5), "the refusal being reported");
        AllocationContent.Same(view.Services[SampleAllocations.Key(1)], SampleAllocations.For(1)).Should().BeTrue("the forgery never reached a node");

        // A replica starting now reads the stream: the forgery was never stored.
        await using var lateBus = await As("node-c");
        await using var late = new DesiredStateReplica(lateBus);
        await late.StartAsync();
        var rebuilt = await late.ConvergesTo(publisher);
        AllocationContent.Same(rebuilt.Services[SampleAllocations.Key(1)], SampleAllocations.For(1)).Should().BeTrue();
    }

    [Fact]
    public async Task A_seed_the_server_does_not_list_is_refused()
    {
        var stranger = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(stranger, KeyPair.CreatePair(PrefixByte.User).GetSeed());
            await using var bus = new NatsEventBus(Buses.Options(fixture.Server, o => o.NKeySeedFile = stranger));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));

            var act = () => bus.ConnectAsync(timeout.Token);

            await act.Should().ThrowAsync<EventBusUnavailableException>().WithMessage("*Authorization Violation*");
        }
        finally
        {
            File.Delete(stranger);
        }
    }

    private Task<NatsEventBus> As(string user) => Buses.ConnectAsync(fixture.Server, o => o.NKeySeedFile = fixture.SeedFile(user));
}
