using System.Net;

namespace Beacon.NodeAgent.Ports;

/// <summary>Tells the LAN that this node now answers for an address: gratuitous ARP (IPv4) or unsolicited NA (IPv6).</summary>
public interface INeighbourAnnouncer
{
    /// <summary>Sends the configured burst; completes when the last one is sent. Failures are the caller's to log.</summary>
    Task AnnounceAsync(string interfaceName, IPAddress address, CancellationToken cancellationToken);
}
