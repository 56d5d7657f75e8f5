namespace Beacon.Ipam;

/// <summary>A Service port as far as address sharing cares: the port number and its protocol (TCP, UDP, SCTP).</summary>
public readonly record struct ServicePort(int Port, string Protocol = "TCP")
{
    public override string ToString() => $"{Port}/{Protocol.ToUpperInvariant()}";
}
