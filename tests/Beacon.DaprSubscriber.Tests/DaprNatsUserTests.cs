using System.Text;
using System.Text.Json.Nodes;
using Beacon.Contracts;
using Beacon.TestSupport.Daemons;
using Beacon.TestSupport.Nats;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using static Beacon.DaprSubscriber.Tests.DaprDeliveredEvents;

namespace Beacon.DaprSubscriber.Tests;

/// <summary>
/// The NATS user in samples/Beacon.DaprSubscriber/components/nats-dapr-user.conf on a real nats-server with JetStream:
/// the JetStream calls Dapr's pubsub.jetstream component makes to subscribe (create the durable push consumer with a
/// deliver group and the topic as filter, look it up to bind, receive on the deliver subject, acknowledge) succeed,
/// and it cannot write Beacon's state. No Dapr runtime is installable here, so the calls are made with NATS.Net.
/// </summary>
public sealed class DaprNatsUserTests : IAsyncLifetime
{
    private const string Stream = "BEACON_ALLOCATIONS";
    private const string Durable = "beacon-dapr-subscriber";
    private readonly string _store = Directory.CreateTempSubdirectory("beacon-dapr-js-").FullName;
    private NatsServer? _server;

    public async Task InitializeAsync()
    {
        var daprUser = await File.ReadAllTextAsync(Path.Combine(RepositoryFile("samples/Beacon.DaprSubscriber/components/nats-dapr-user.conf")));
        _server = await NatsServer.StartAsync(new NatsServerConfig
        {
            Extra = $$"""
                jetstream { store_dir: "{{_store}}" }
                {{daprUser}}
                authorization {
                  users = [
                    $DAPR_USER
                    { user: allocator, password: allocator-secret }
                  ]
                }
                """,
            Environment = new Dictionary<string, string> { ["DAPR_PASSWORD"] = "dapr-secret" },
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_store, recursive: true);
    }

    [Fact]
    public async Task The_dapr_user_can_subscribe_through_a_durable_queue_consumer_and_acknowledge_but_not_publish_allocations()
    {
        await using var allocator = await ConnectAsync("allocator", "allocator-secret");
        var allocatorJs = new NatsJSContext(allocator);
        await allocatorJs.CreateStreamAsync(new StreamConfig(Stream, [Subjects.AllAllocations]) { MaxMsgsPerSubject = 1 });
        var published = CloudEventCodec.Encode(EventTypes.AllocationChanged, Changed(Web, 1, "192.0.2.10"), EventSources.Allocator, Web.ToString());
        (await allocatorJs.PublishAsync(Subjects.Allocation(Web), published)).EnsureSuccess();

        await using var dapr = await ConnectAsync("dapr", "dapr-secret");
        var deliverSubject = "_INBOX." + Guid.NewGuid().ToString("N");
        var config = new JsonObject
        {
            ["durable_name"] = Durable,
            ["name"] = Durable,
            ["deliver_subject"] = deliverSubject,
            ["deliver_group"] = Durable,
            ["deliver_policy"] = "all",
            ["ack_policy"] = "explicit",
            ["ack_wait"] = 30_000_000_000L,
            ["max_deliver"] = 10,
            ["num_replicas"] = 1,
            ["filter_subject"] = Subjects.AllAllocations,
        };
        var create = new JsonObject { ["stream_name"] = Stream, ["config"] = config }.ToJsonString();

        // Subscribe first (as Dapr's QueueSubscribe does right after), so the push consumer's first delivery is caught.
        await using var deliveries = await dapr.SubscribeCoreAsync<byte[]>(deliverSubject, queueGroup: Durable);
        foreach (var (subject, body) in new[] { ($"$JS.API.CONSUMER.CREATE.{Stream}.{Durable}.{Subjects.AllAllocations}", create), ($"$JS.API.CONSUMER.INFO.{Stream}.{Durable}", "") })
        {
            var reply = await dapr.RequestAsync<byte[], byte[]>(subject, Encoding.UTF8.GetBytes(body));
            var answer = JsonNode.Parse(reply.Data!)!;
            answer["error"].Should().BeNull($"{subject} answered {answer.ToJsonString()}");
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var delivered = await deliveries.Msgs.ReadAsync(timeout.Token);
        delivered.Data.Should().Equal(published, "Dapr hands the app the stored CloudEvent unchanged");
        delivered.ReplyTo.Should().StartWith($"$JS.ACK.{Stream}.{Durable}.");
        await dapr.PublishAsync(delivered.ReplyTo!, "+ACK"u8.ToArray());
        await dapr.PingAsync();

        // The server applies acknowledgements asynchronously: wait for it, a refused ack never gets there.
        var acknowledged = await Eventually.MatchesAsync(
            async () => (await allocatorJs.GetConsumerAsync(Stream, Durable)).Info,
            info => info.NumAckPending == 0,
            TimeSpan.FromSeconds(5),
            "the acknowledgement taken (no ack pending)");
        acknowledged.AckFloor.StreamSeq.Should().Be(1);

        // Forging desired state with the Dapr user's credentials changes nothing.
        var forged = CloudEventCodec.Encode(EventTypes.AllocationChanged, Changed(Web, 99, "203.0.113.66"), EventSources.Allocator, Web.ToString());
        using var forgeryTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        var forgery = async () => (await new NatsJSContext(dapr).PublishAsync(Subjects.Allocation(Web), forged, cancellationToken: forgeryTimeout.Token)).EnsureSuccess();
        await forgery.Should().ThrowAsync<Exception>();
        var stream = await allocatorJs.GetStreamAsync(Stream);
        stream.Info.State.Messages.Should().Be(1);
        stream.Info.State.LastSeq.Should().Be(1, "the forged allocation was never stored");
    }

    private async Task<NatsConnection> ConnectAsync(string user, string password)
    {
        var connection = new NatsConnection(new NatsOpts
        {
            Url = _server!.Url,
            AuthOpts = new NatsAuthOpts { Username = user, Password = password },
            RequestTimeout = TimeSpan.FromSeconds(5),
        });
        await connection.ConnectAsync();
        return connection;
    }

    private static string RepositoryFile(string relative)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}
