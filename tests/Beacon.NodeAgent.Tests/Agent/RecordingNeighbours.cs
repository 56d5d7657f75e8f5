using System.Collections.Concurrent;
using System.Net;
using Beacon.Contracts;
using Beacon.NodeAgent.Ports;

namespace Beacon.NodeAgent.Tests.Agent;

internal sealed class RecordingNeighbours : INeighbourAnnouncer, IAnnouncementSink
{
    public ConcurrentQueue<(string Interface, IPAddress Address)> Gratuitous { get; } = new();

    public ConcurrentQueue<Announcement> Announcements { get; } = new();

    /// <summary>The token each burst was given: cancelled when the rest of the burst must not go out.</summary>
    public ConcurrentQueue<(IPAddress Address, CancellationToken Token)> Bursts { get; } = new();

    /// <summary>Each burst stays in flight (its repeats pending) until its token is cancelled, as a real one does for a while.</summary>
    public bool HoldBursts { get; init; }

    public Task AnnounceAsync(string interfaceName, IPAddress address, CancellationToken cancellationToken)
    {
        Gratuitous.Enqueue((interfaceName, address));
        Bursts.Enqueue((address, cancellationToken));
        return HoldBursts ? Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken) : Task.CompletedTask;
    }

    public void Publish(Announcement announcement) => Announcements.Enqueue(announcement);

    /// <summary>Gratuitous announcements run in the background: wait (with a deadline) until <paramref name="count"/> went out.</summary>
    public async Task WaitForGratuitousAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (Gratuitous.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }
    }
}
