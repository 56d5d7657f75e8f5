using Beacon.Contracts;
using Beacon.TestSupport.Nats;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Xunit.Abstractions;

namespace Beacon.Messaging.Tests.Cluster;

/// <summary>
/// Three real nats-servers clustered with JetStream, each in its own network namespace: a last-value-per-subject
/// stream with three replicas survives the death of its leader's server without losing an acknowledged event.
/// </summary>
public sealed class NatsClusterFailoverTests(ITestOutputHelper output)
{
    private const string Stream = "BEACON_ALLOCATIONS";
    private const int Services = 25;

    [Fact]
    public async Task Killing_the_stream_leaders_server_loses_no_acknowledged_event_and_a_reader_rebuilds_the_last_value_of_every_subject()
    {
        await using var cluster = await NatsCluster.StartAsync();
        var metaLeader = await cluster.WaitForMetaLeaderAsync();

        await using (var admin = await ConnectAsync(cluster.ClientUrls))
        {
            var js = new NatsJSContext(admin);
            await js.CreateStreamAsync(new StreamConfig(Stream, [Subjects.AllAllocations])
            {
                NumReplicas = 3,
                MaxMsgsPerSubject = 1,
                Storage = StreamConfigStorage.File,
            });
        }

        var leader = await cluster.WaitForStreamLeaderAsync(Stream);
        output.WriteLine($"meta leader {metaLeader}, stream leader {leader}");

        // The publisher's first URL is the leader's server, so the kill also drops its connection: it must fail over
        // to a server from its list while the stream elects a new leader.
        var urls = string.Join(",", new[] { cluster.Member(leader).Url }.Concat(cluster.Members.Where(m => m.Name != leader).Select(m => m.Url)));
        await using var publisherConnection = await ConnectAsync(urls, noRandomize: true);
        var publisher = new LastValuePublisher(new NatsJSContext(publisherConnection), Services);
        using var stop = new CancellationTokenSource();
        var publishing = publisher.RunAsync(stop.Token);

        await WithTimeout(UnlessFailed(publisher.WaitForAcknowledgedAsync(200), publishing), "200 acknowledged events before the kill");
        await cluster.Member(leader).KillAsync();
        var beforeKill = publisher.Acknowledged;
        var newLeader = await cluster.WaitForStreamLeaderAsync(Stream, not: leader);
        await WithTimeout(UnlessFailed(publisher.WaitForAcknowledgedAsync(beforeKill + 200), publishing), "200 acknowledged events after the kill");
        await stop.CancelAsync();
        await publishing;
        output.WriteLine(
            $"killed {leader}; new stream leader {newLeader}; {publisher.Acknowledged} acknowledged, {publisher.Retries} retried attempts, " +
            $"longest publish stall {publisher.LongestStall.TotalMilliseconds:F0} ms");

        newLeader.Should().NotBe(leader);
        publisher.Retries.Should().BeGreaterThan(0, "the publisher's own server was killed under it");
        var expected = publisher.LastAcknowledged;
        expected.Should().HaveCount(Services);

        // A reader that starts now (e.g. a restarted agent) rebuilds its whole view from the two surviving servers.
        var rebuilt = await ReadLastPerSubjectAsync(cluster.ClientUrls);
        rebuilt.Should().Equal(expected);

        // The killed server comes back with its store, catches up, and then holds the same state as everyone.
        await cluster.Member(leader).StartAsync();
        var caughtUp = await cluster.WaitForStreamCurrentAsync(Stream);
        caughtUp!.Messages.Should().Be((ulong)Services, "MaxMsgsPerSubject=1 keeps one event per Service");
        await cluster.Member(newLeader).KillAsync();
        (await cluster.WaitForStreamLeaderAsync(Stream, not: newLeader)).Should().NotBe(newLeader);
        (await ReadLastPerSubjectAsync(cluster.ClientUrls)).Should().Equal(expected, "the restarted server holds the same last values");

        // File storage: the whole cluster going down (a power cut) and coming back keeps the state too.
        foreach (var member in cluster.Members)
        {
            await member.KillAsync();
        }

        await Task.WhenAll(cluster.Members.Select(m => m.StartAsync()));
        await cluster.WaitForStreamLeaderAsync(Stream);
        (await ReadLastPerSubjectAsync(cluster.ClientUrls)).Should().Equal(expected, "every server kept its store across the restart");
    }

    private static async Task<NatsConnection> ConnectAsync(string urls, bool noRandomize = false)
    {
        var connection = new NatsConnection(new NatsOpts
        {
            Url = urls,
            NoRandomize = noRandomize,
            // Without it the first connect tries only one URL of the list, which may be the killed server's.
            RetryOnInitialConnect = true,
            ConnectTimeout = TimeSpan.FromSeconds(2),
            RequestTimeout = TimeSpan.FromSeconds(2),
            ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
            ReconnectWaitMax = TimeSpan.FromMilliseconds(500),
            ReconnectJitter = TimeSpan.FromMilliseconds(50),
        });
        await connection.ConnectAsync();
        return connection;
    }

    /// <summary>Last event per subject through an ordered consumer, decoded with Beacon's contract: subject → sequence.</summary>
    private static async Task<Dictionary<string, long>> ReadLastPerSubjectAsync(string urls)
    {
        await using var connection = await ConnectAsync(urls);
        var js = new NatsJSContext(connection);
        // The stream keeps one message per subject, so reading it all and keeping the last per subject is the current
        // state. (DeliverPolicy.LastPerSubject would need a filter: NATS.Net 3.3.2 sends it as filter_subjects, which
        // nats-server 2.9, Debian's, does not know, and then rejects the policy.)
        var consumer = await js.CreateOrderedConsumerAsync(Stream, new NatsJSOrderedConsumerOpts { DeliverPolicy = ConsumerConfigDeliverPolicy.All });
        var state = new Dictionary<string, long>(StringComparer.Ordinal);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var msg in consumer.ConsumeAsync<byte[]>(cancellationToken: timeout.Token))
        {
            var decoded = CloudEventCodec.Decode(msg.Data, EventTypes.AllocationChanged);
            decoded.Succeeded.Should().BeTrue(decoded.Error?.ToString());
            Subjects.TryParseAllocation(msg.Subject, out var service).Should().BeTrue();
            decoded.Value!.Service.Should().Be(service);
            state[msg.Subject] = decoded.Value.Sequence;
            if (msg.Metadata?.NumPending == 0)
            {
                break;
            }
        }

        return state;
    }

    /// <summary>Waits for <paramref name="wait"/>, but surfaces the publisher's own failure at once instead of as a timeout.</summary>
    private static async Task UnlessFailed(Task wait, Task publishing) => await await Task.WhenAny(wait, publishing);

    private static async Task WithTimeout(Task task, string what)
    {
        if (await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(60))) != task)
        {
            throw new TimeoutException(what + " did not happen within 60 s");
        }
    }
}
