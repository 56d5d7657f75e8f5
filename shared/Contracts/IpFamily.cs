namespace Beacon.Contracts;

public enum IpFamily
{
    IPv4,
    IPv6,
}
