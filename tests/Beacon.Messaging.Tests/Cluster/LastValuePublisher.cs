using System.Globalization;
using Beacon.Contracts;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Beacon.Messaging.Tests.Cluster;

/// <summary>
/// Publishes allocation events round-robin over a set of Services, one at a time, retrying each (same message id, so
/// the stream deduplicates) until JetStream acknowledges it. Remembers the last acknowledged event per subject, which
/// is exactly what the stream must hold afterwards.
/// </summary>
internal sealed class LastValuePublisher(INatsJSContext js, int services)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, long> _lastAcknowledged = new(StringComparer.Ordinal);
    private readonly List<(long Count, TaskCompletionSource Reached)> _waiters = [];
    private long _acknowledged;

    public long Acknowledged
    {
        get { lock (_gate) { return _acknowledged; } }
    }

    /// <summary>Failed attempts (timeouts, no responders) that were retried.</summary>
    public int Retries { get; private set; }

    /// <summary>Longest time between two acknowledgements: how long publishing stalled during failover.</summary>
    public TimeSpan LongestStall { get; private set; }

    /// <summary>Subject → <see cref="AllocationChanged.Sequence"/> of the last acknowledged event on it.</summary>
    public IReadOnlyDictionary<string, long> LastAcknowledged
    {
        get { lock (_gate) { return new Dictionary<string, long>(_lastAcknowledged, StringComparer.Ordinal); } }
    }

    public static ServiceKey Service(long i) =>
        new("tenant-" + (i % 3).ToString(CultureInfo.InvariantCulture), "svc-" + i.ToString(CultureInfo.InvariantCulture));

    /// <summary>How long one event is retried before the publisher gives up (an election takes seconds, not this).</summary>
    private static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Pause between attempts: while no server leads the stream, "no responders" comes back at once, so attempts without a
    /// pause would run out within milliseconds of the kill.
    /// </summary>
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(50);

    public async Task RunAsync(CancellationToken stop)
    {
        var lastAck = DateTime.UtcNow;
        for (long sequence = 1; !stop.IsCancellationRequested; sequence++)
        {
            var service = Service(sequence % services);
            var subject = Subjects.Allocation(service);
            var payload = CloudEventCodec.Encode(EventTypes.AllocationChanged, Allocation(service, sequence), EventSources.Allocator, id: "alloc-" + sequence.ToString(CultureInfo.InvariantCulture));
            var msgId = "alloc-" + sequence.ToString(CultureInfo.InvariantCulture);
            var giveUp = DateTime.UtcNow + RetryFor;
            while (true)
            {
                try
                {
                    var ack = await js.PublishAsync(subject, payload, opts: new NatsJSPubOpts { MsgId = msgId }, cancellationToken: CancellationToken.None);
                    ack.EnsureSuccess();
                    break;
                }
                catch (NatsJSDuplicateMessageException)
                {
                    // An earlier attempt whose ack was lost in the failover was stored after all: the server's dedupe
                    // window recognises the message id, so the event is acknowledged (seen once in CI: "Duplicate of 216").
                    break;
                }
                catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException)
                {
                    // The leader's server is gone or an election is running: the same message id is retried (even after
                    // stop, since an unacknowledged attempt may still have been stored and must not be left ambiguous).
                    Retries++;
                    if (DateTime.UtcNow > giveUp)
                    {
                        throw;
                    }

                    await Task.Delay(RetryPause, CancellationToken.None);
                }
            }

            var now = DateTime.UtcNow;
            if (now - lastAck > LongestStall)
            {
                LongestStall = now - lastAck;
            }

            lastAck = now;
            Acknowledge(subject, sequence);
        }
    }

    /// <summary>Completes once <paramref name="count"/> events in total have been acknowledged.</summary>
    public Task WaitForAcknowledgedAsync(long count)
    {
        lock (_gate)
        {
            if (_acknowledged >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task;
        }
    }

    public static AllocationChanged Allocation(ServiceKey service, long sequence) => new(
        service,
        [new AllocatedAddress(string.Create(CultureInfo.InvariantCulture, $"192.0.2.{sequence % 250}"), 24, IpFamily.IPv4, AddressPlacement.Local, "default", "192.0.2.0/24", null)],
        "default",
        [new ServicePort(80, "TCP")],
        TrafficPolicy.Cluster,
        ["node-a"],
        null,
        sequence,
        "cluster-test");

    private void Acknowledge(string subject, long sequence)
    {
        lock (_gate)
        {
            _lastAcknowledged[subject] = sequence;
            _acknowledged++;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_acknowledged >= _waiters[i].Count)
                {
                    _waiters[i].Reached.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}
