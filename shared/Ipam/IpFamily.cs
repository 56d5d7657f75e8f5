namespace Beacon.Ipam;

/// <summary>An IP address family, named as Kubernetes names them in <c>spec.ipFamilies</c>.</summary>
public enum IpFamily
{
    IPv4,
    IPv6,
}
