using Beacon.Contracts;

namespace Beacon.NodeAgent.Ports;

/// <summary>Where announcement events go (the bus). Must not block: the reconciler calls it inline.</summary>
public interface IAnnouncementSink
{
    void Publish(Announcement announcement);
}
