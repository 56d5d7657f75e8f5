using System.Text;
using Beacon.Contracts;
using Beacon.Messaging.Nats;
using Beacon.Messaging.Streams;
using Beacon.Messaging.Tests.Bus;
using Beacon.TestSupport.Daemons;
using Beacon.TestSupport.Nats;
using NATS.Client.JetStream;

namespace Beacon.Messaging.Tests.Streams;

/// <summary>
/// A last-value reader (BGP peer set, LBNodeAgent set, node statuses) costs nothing while nothing changes: it reads the
/// stream to catch up and then follows live changes without a JetStream consumer. A consumer kept open for live changes
/// exchanged idle heartbeats and pull requests with the server for as long as the reader ran (≈ 2.4 messages a second
/// per reader, one reader per node component: docs/benchmarks.md, "Idle bus traffic").
/// </summary>
public sealed class LastValueReaderTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task After_catching_up_the_reader_keeps_no_consumer_on_the_stream_and_still_hears_every_new_value()
    {
        await using var server = await NatsServer.StartAsync();
        await using var allocator = await Buses.ConnectAsync(server);
        await StreamProvisioner.EnsureAsync(allocator.JetStream, new JetStreamOptions(), CancellationToken.None);
        await StoreAsync(allocator, "v1");
        await StoreAsync(allocator, "v2");

        await using var node = await Buses.ConnectAsync(server);
        var values = new List<string>();
        var caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (var reader = new LastValueReader(node, BeaconStreams.BgpPeers, (message, _) =>
        {
            lock (values)
            {
                values.Add(Encoding.UTF8.GetString(message.Payload.Span));
            }

            return ValueTask.CompletedTask;
        }, () => caughtUp.TrySetResult()))
        {
            reader.Start();
            await caughtUp.Task.WaitAsync(Deadline);
            Snapshot(values).Should().Equal(["v2"], "the stream keeps the last value only");

            await Eventually.MatchesAsync(
                async () => (await allocator.JetStream.GetStreamAsync(BeaconStreams.BgpPeers)).Info.State.ConsumerCount,
                consumers => consumers == 0, Deadline, "no consumer left once caught up");

            await StoreAsync(allocator, "v3");
            await Eventually.MatchesAsync(() => Task.FromResult(Snapshot(values)), v => v.LastOrDefault() == "v3", Deadline, "the new value, live");
        }
    }

    [Fact]
    public async Task An_empty_stream_is_caught_up_at_once_and_the_first_value_arrives_live()
    {
        await using var server = await NatsServer.StartAsync();
        await using var allocator = await Buses.ConnectAsync(server);
        await StreamProvisioner.EnsureAsync(allocator.JetStream, new JetStreamOptions(), CancellationToken.None);

        await using var node = await Buses.ConnectAsync(server);
        var values = new List<string>();
        var caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (var reader = new LastValueReader(node, BeaconStreams.NodeAgentConfig, (message, _) =>
        {
            lock (values)
            {
                values.Add(Encoding.UTF8.GetString(message.Payload.Span));
            }

            return ValueTask.CompletedTask;
        }, () => caughtUp.TrySetResult()))
        {
            reader.Start();
            await caughtUp.Task.WaitAsync(Deadline);

            (await allocator.JetStream.PublishAsync(Subjects.NodeAgentConfig, Encoding.UTF8.GetBytes("first"))).EnsureSuccess();
            await Eventually.MatchesAsync(() => Task.FromResult(Snapshot(values)), v => v.SequenceEqual(["first"]), Deadline, "the first value, live");
        }
    }

    private static List<string> Snapshot(List<string> values)
    {
        lock (values)
        {
            return [.. values];
        }
    }

    private static async Task StoreAsync(NatsEventBus bus, string value) =>
        (await bus.JetStream.PublishAsync(Subjects.BgpPeers, Encoding.UTF8.GetBytes(value))).EnsureSuccess();
}
