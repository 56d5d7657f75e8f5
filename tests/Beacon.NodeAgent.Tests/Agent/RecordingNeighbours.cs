using System.Collections.Concurrent;
using System.Net;
using Beacon.Contracts;
using Beacon.NodeAgent.Ports;

namespace Beacon.NodeAgent.Tests.Agent;

internal sealed class RecordingNeighbours : INeighbourAnnouncer, IAnnouncementSink
{
    public ConcurrentQueue<(string Interface, IPAddress Address)> Gratuitous { get; } = new();

    public ConcurrentQueue<Announcement> Announcements { get; } = new();

    public Task AnnounceAsync(string interfaceName, IPAddress address, CancellationToken cancellationToken)
    {
        Gratuitous.Enqueue((interfaceName, address));
        return Task.CompletedTask;
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
