using System.Collections.Concurrent;
using Beacon.Messaging;
using Beacon.TestSupport.Nats;

namespace Beacon.Messaging.Tests.Bus;

public sealed class ReconnectTests
{
    [Fact]
    public async Task Subscriptions_resume_after_the_server_restarts_on_the_same_port()
    {
        await using var server = await NatsServer.StartAsync();
        await using var publisher = await Buses.ConnectAsync(server);
        await using var subscriber = await Buses.ConnectAsync(server);
        var changes = new ConcurrentQueue<BusStateChange>();
        var reconnected = new TaskCompletionSource();
        subscriber.StateChanged += (_, e) =>
        {
            changes.Enqueue(e.Change);
            if (e.Change == BusStateChange.Reconnected)
            {
                reconnected.TrySetResult();
            }
        };
        var inbox = new Inbox();
        await using var subscription = await subscriber.SubscribeAsync("test.restart", inbox.Handle);

        await server.RestartAsync();
        await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await publisher.ConnectAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        (await subscriber.FlushAsync(TimeSpan.FromSeconds(5))).Should().BeTrue();
        await publisher.PublishAsync("test.restart", "after"u8.ToArray());

        (await inbox.NextAsync()).Payload.ToArray().Should().Equal("after"u8.ToArray());
        changes.Should().ContainInOrder(BusStateChange.Disconnected, BusStateChange.Reconnected);
        subscriber.Counters.Get(MessagingCounter.Reconnects).Should().Be(1);
    }

    [Fact]
    public async Task A_client_started_before_the_server_connects_once_it_is_up()
    {
        await using var server = await NatsServer.StartAsync();
        await server.StopAsync();
        await using var client = new Nats.NatsEventBus(Buses.Options(server));
        client.Start();
        client.State.Should().Be(BusConnectionState.Connecting);

        await server.StartAgainAsync();

        await client.ConnectAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        client.State.Should().Be(BusConnectionState.Connected);
    }
}
