using System.Net;

namespace Beacon.NodeAgent.Ports;

/// <summary>
/// Asks the LAN whether another host still answers for addresses we are about to take over (a previous owner whose
/// heartbeats stopped but which may be alive: only its bus is gone).
/// </summary>
public interface IOwnerProbe
{
    /// <summary>The addresses of <paramref name="addresses"/> some other host answered for within the probe timeout.</summary>
    Task<IReadOnlySet<IPAddress>> AnsweredAsync(string interfaceName, IReadOnlyCollection<IPAddress> addresses, CancellationToken cancellationToken);
}
