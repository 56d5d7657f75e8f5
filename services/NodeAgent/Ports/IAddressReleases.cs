using System.Net;

namespace Beacon.NodeAgent.Ports;

/// <summary>
/// Told which addresses a peer just reported it no longer holds (its node status on the bus), so the owner can
/// re-announce the ones it had to give up on the wire (<see cref="Domain.DefenceSchedule.Released"/>). Must not block:
/// it is called from the bus subscription.
/// </summary>
public interface IAddressReleases
{
    void Released(string peer, IReadOnlyList<IPAddress> addresses);
}
