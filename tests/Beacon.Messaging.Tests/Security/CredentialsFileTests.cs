using Beacon.Contracts;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Tests.Bus;
using Beacon.Messaging.Tests.DesiredState;

namespace Beacon.Messaging.Tests.Security;

/// <summary>.creds files (user JWT + NKey seed) against a real nats-server in operator mode with JetStream.</summary>
public sealed class CredentialsFileTests(OperatorModeServer fixture) : IClassFixture<OperatorModeServer>
{
    [Fact]
    public async Task Components_connect_with_creds_files_and_a_forged_allocation_with_an_agents_creds_changes_nothing()
    {
        await using var allocatorBus = await As("allocator");
        await using var publisher = new DesiredStatePublisher(allocatorBus);
        await publisher.StartAsync();
        await publisher.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        await publisher.PublishChangeAsync(SampleAllocations.For(1));
        await using var agent = await As("node-a");
        await using var replica = new DesiredStateReplica(agent);
        await replica.StartAsync();
        await replica.ConvergesTo(publisher);

        var forged = SampleAllocations.For(1, variant: 1) with { Sequence = publisher.Sequence + 1, Epoch = publisher.Epoch };
        (await agent.PublishEventAsync(Subjects.Allocation(forged.Service), EventTypes.AllocationChanged, forged, "/rogue")).Should().BeTrue();
        (await agent.FlushAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
        await publisher.PublishChangeAsync(SampleAllocations.For(2));

        var view = await replica.ConvergesTo(publisher);
        await Beacon.TestSupport.Daemons.Eventually.MatchesAsync(
            () => Task.FromResult(agent.Counters.Get(MessagingCounter.PermissionViolation)), n => n >= 1, TimeSpan.FromSeconds(5), "the refusal being reported");
        AllocationContent.Same(view.Services[SampleAllocations.Key(1)], SampleAllocations.For(1)).Should().BeTrue("the forgery never reached a node");
    }

    [Fact]
    public async Task A_user_of_an_account_the_server_does_not_know_is_refused()
    {
        await using var bus = new NatsEventBus(Buses.Options(fixture.Server, o => o.CredentialsFile = fixture.CredentialsFile("stranger")));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(8));

        var act = () => bus.ConnectAsync(timeout.Token);

        await act.Should().ThrowAsync<EventBusUnavailableException>().WithMessage("*Authorization Violation*");
    }

    private Task<NatsEventBus> As(string user) => Buses.ConnectAsync(fixture.Server, o => o.CredentialsFile = fixture.CredentialsFile(user));
}
