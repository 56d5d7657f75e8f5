namespace Beacon.Contracts;

/// <summary>The Service's <c>externalTrafficPolicy</c>.</summary>
public enum TrafficPolicy
{
    Cluster,
    Local,
}
