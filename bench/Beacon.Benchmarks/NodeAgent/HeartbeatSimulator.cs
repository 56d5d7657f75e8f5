using System.Diagnostics;
using Beacon.Messaging;

namespace Beacon.Benchmarks.NodeAgent;

/// <summary>
/// Publishes a fixed set of messages, each once per <c>interval</c>, spread evenly over the interval (as independent
/// agents would be), from one connection, until stopped. Each stream is (subject, payload, interval).
/// </summary>
internal sealed class HeartbeatSimulator : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    public HeartbeatSimulator(IEventBus bus, IReadOnlyList<(string Subject, byte[] Payload, TimeSpan Interval)> streams) =>
        _running = Task.Run(() => RunAsync(bus, streams, _stop.Token));

    public long Published { get; private set; }

    public long Refused { get; private set; }

    private async Task RunAsync(IEventBus bus, IReadOnlyList<(string Subject, byte[] Payload, TimeSpan Interval)> streams, CancellationToken stop)
    {
        var groups = streams.GroupBy(s => s.Interval).Select(g => (Interval: g.Key, Items: g.ToList(), Sent: 0L)).ToList();
        var clock = Stopwatch.StartNew();
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
        try
        {
            while (await tick.WaitForNextTickAsync(stop))
            {
                var elapsed = clock.Elapsed;
                for (var g = 0; g < groups.Count; g++)
                {
                    var (interval, items, sent) = groups[g];
                    var due = (long)(elapsed / interval * items.Count);
                    for (; sent < due; sent++)
                    {
                        var (subject, payload, _) = items[(int)(sent % items.Count)];
                        if (await bus.PublishAsync(subject, payload, cancellationToken: stop))
                        {
                            Published++;
                        }
                        else
                        {
                            Refused++;
                        }
                    }

                    groups[g] = (interval, items, sent);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
    }
}
