using System.Diagnostics;
using Beacon.Messaging;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Tests.Bus;
using Beacon.TestSupport.Nats;

namespace Beacon.Messaging.Tests.DesiredState;

public sealed class StaticStabilityTests
{
    [Fact]
    public async Task A_replica_keeps_its_state_while_nats_is_down_and_converges_within_two_seconds_of_its_return()
    {
        await using var server = await NatsServer.StartAsync();
        await using var allocatorBus = await Buses.ConnectAsync(server);
        await using var publisher = new DesiredStatePublisher(allocatorBus);
        await publisher.StartAsync();
        for (var i = 0; i < 50; i++)
        {
            await publisher.PublishChangeAsync(SampleAllocations.For(i));
        }

        await using var agentBus = await Buses.ConnectAsync(server);
        await using var replica = new DesiredStateReplica(agentBus);
        await replica.StartAsync();
        var before = await replica.ConvergesTo(publisher);
        var changesWhileDown = 0;
        var down = false;
        replica.Changed += (_, _) =>
        {
            if (Volatile.Read(ref down))
            {
                Interlocked.Increment(ref changesWhileDown);
            }
        };
        var disconnected = new TaskCompletionSource();
        agentBus.StateChanged += (_, e) =>
        {
            if (e.Change == BusStateChange.Disconnected)
            {
                disconnected.TrySetResult();
            }
        };

        await server.StopAsync();
        Volatile.Write(ref down, true);
        await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // The Allocator keeps deciding while the bus is away; none of it can reach the agent.
        await publisher.PublishChangeAsync(SampleAllocations.For(3, variant: 1));
        await publisher.PublishReleaseAsync(SampleAllocations.Key(4));
        await publisher.PublishChangeAsync(SampleAllocations.For(100));
        await Task.Delay(TimeSpan.FromSeconds(1));

        replica.Current.Services.Should().HaveCount(50).And.ContainKey(SampleAllocations.Key(4));
        Volatile.Read(ref changesWhileDown).Should().Be(0, "nothing is withdrawn because the bus is down");

        Volatile.Write(ref down, false);
        await server.StartAgainAsync();
        var clock = Stopwatch.StartNew();
        var after = await replica.ConvergesTo(publisher, within: TimeSpan.FromSeconds(10));
        clock.Stop();

        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2), "changes made while the bus was down apply within 2 s of its return");
        after.Services.Should().HaveCount(50).And.NotContainKey(SampleAllocations.Key(4)).And.ContainKey(SampleAllocations.Key(100));
    }
}
