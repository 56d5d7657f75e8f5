using System.Collections.Concurrent;
using Beacon.Contracts;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Streams;
using Beacon.Messaging.Tests.Bus;
using Beacon.TestSupport.Nats;

namespace Beacon.Messaging.Tests.DesiredState;

/// <summary>The publisher keeps many stores in flight: per-Service order, refused stores retried, shutdown that never hangs.</summary>
public sealed class PipelinedStoreTests
{
    [Fact]
    public async Task Rapid_changes_of_the_same_services_arrive_in_order_and_the_stream_ends_with_the_latest_of_each()
    {
        await using var server = await NatsServer.StartAsync();
        await using var allocatorBus = await Buses.ConnectAsync(server);
        await using var integratorBus = await Buses.ConnectAsync(server);
        var seen = new ConcurrentQueue<AllocationChanged>();
        await using var core = await integratorBus.SubscribeAsync(Subjects.AllAllocations, (message, _) =>
        {
            seen.Enqueue(CloudEventCodec.Decode(message.Payload.Span, EventTypes.AllocationChanged).Value!);
            return ValueTask.CompletedTask;
        });
        await using var publisher = new DesiredStatePublisher(allocatorBus, new DesiredStatePublisherOptions { MaxAcksInFlight = 32 });
        await publisher.StartAsync();
        await publisher.Ready.WaitAsync(TimeSpan.FromSeconds(10));

        // 10 Services changed 50 times each, interleaved, with up to 32 stores in flight.
        for (var variant = 1; variant <= 50; variant++)
        {
            for (var i = 0; i < 10; i++)
            {
                await publisher.PublishChangeAsync(SampleAllocations.For(i, variant));
            }
        }

        await publisher.WhenStoredAsync().WaitAsync(TimeSpan.FromSeconds(30));
        publisher.Counters.Get(MessagingCounter.Published).Should().Be(500, "every store was acknowledged, none left to the repair pass");
        publisher.Unstored.Should().Be(0);
        await using var agentBus = await Buses.ConnectAsync(server);
        await using var replica = new DesiredStateReplica(agentBus);
        await replica.StartAsync();
        var view = await replica.ConvergesTo(publisher);
        view.Services.Values.Should().OnlyContain(a => a.Ports[0].Port == 80 + 50, "the stream holds each Service's last change");

        await integratorBus.FlushAsync(TimeSpan.FromSeconds(5));
        var byService = seen.GroupBy(a => a.Service).ToList();
        byService.Should().HaveCount(10);
        byService.Should().OnlyContain(g => g.Select(a => a.Sequence).SequenceEqual(g.Select(a => a.Sequence).Order()), "a change never overtakes an earlier one of the same Service");
    }

    [Fact]
    public async Task A_refused_store_is_retried_with_the_services_current_value_until_the_stream_takes_it()
    {
        await using var server = await NatsServer.StartAsync();
        await using var allocatorBus = await Buses.ConnectAsync(server);
        await using var integratorBus = await Buses.ConnectAsync(server);
        var seen = new ConcurrentQueue<AllocationChanged>();
        using var arrived = new SemaphoreSlim(0);
        await using var core = await integratorBus.SubscribeAsync(Subjects.AllAllocations, (message, _) =>
        {
            seen.Enqueue(CloudEventCodec.Decode(message.Payload.Span, EventTypes.AllocationChanged).Value!);
            arrived.Release();
            return ValueTask.CompletedTask;
        });

        // The stream refuses messages over 2,000 bytes (the publisher's own limit is far higher): a large change is
        // sent, and its store refused.
        var log = new StoreFailureLog();
        var options = new DesiredStatePublisherOptions { Streams = new JetStreamOptions { MaxMessageBytes = 2000 }, CheckInterval = TimeSpan.FromSeconds(30) };
        await using var publisher = new DesiredStatePublisher(allocatorBus, options, log);
        await publisher.StartAsync();
        await publisher.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        var small = SampleAllocations.For(1);
        var large = small with { ReadyNodes = [.. Enumerable.Range(0, 200).Select(n => "node-with-a-long-name-" + n)] };
        await publisher.PublishChangeAsync(SampleAllocations.For(2));
        await publisher.PublishChangeAsync(small);
        await publisher.PublishChangeAsync(large);
        await log.Failed.WaitAsync(TimeSpan.FromSeconds(10));

        // Now the stream takes large messages: the repair pass stores the Service's current (large) value.
        await StreamProvisioner.EnsureAsync(allocatorBus.JetStream, new JetStreamOptions(), CancellationToken.None);
        await using var agentBus = await Buses.ConnectAsync(server);
        await using var replica = new DesiredStateReplica(agentBus);
        await replica.StartAsync();
        var view = await replica.ConvergesTo(publisher);
        view.Services[small.Service].ReadyNodes.Should().HaveCount(200);

        await publisher.PublishChangeAsync(SampleAllocations.For(1, variant: 3));
        await replica.ConvergesTo(publisher);
        // The integrator's own subscription may get the last change after the replica did: wait for it there too.
        var last = publisher.Services[small.Service].Sequence;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!seen.Any(a => a.Service == small.Service && a.Sequence == last))
        {
            await arrived.WaitAsync(timeout.Token);
        }

        var sequences = seen.Where(a => a.Service == small.Service).Select(a => a.Sequence).ToList();
        sequences.Should().BeInAscendingOrder("a retry carries the current value, never an older one");
        sequences.Should().HaveCountGreaterThan(3, "the refused change was sent again");
    }

    [Fact]
    public async Task The_publisher_shuts_down_promptly_when_nats_dies_with_stores_in_flight()
    {
        await using var server = await NatsServer.StartAsync();
        var allocatorBus = await Buses.ConnectAsync(server);
        var publisher = new DesiredStatePublisher(allocatorBus, new DesiredStatePublisherOptions { PublishTimeout = TimeSpan.FromSeconds(1) });
        await publisher.StartAsync();
        await publisher.Ready.WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 2_000; i++)
        {
            await publisher.PublishChangeAsync(SampleAllocations.For(i));
        }

        await server.StopAsync();
        await publisher.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await allocatorBus.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        publisher.InFlight.Should().Be(0, "every pending ack was either answered or abandoned");
    }

    /// <summary>Completes <see cref="Failed"/> when the publisher reports a store it could not make.</summary>
    private sealed class StoreFailureLog : Microsoft.Extensions.Logging.ILogger<DesiredStatePublisher>
    {
        private readonly TaskCompletionSource _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Failed => _failed.Task;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (formatter(state, exception).StartsWith("Could not store", StringComparison.Ordinal))
            {
                _failed.TrySetResult();
            }
        }
    }
}
