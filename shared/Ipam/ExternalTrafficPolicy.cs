namespace Beacon.Ipam;

/// <summary><c>spec.externalTrafficPolicy</c>; <see cref="Local"/> restricts address sharing to Services with the same pod selector.</summary>
public enum ExternalTrafficPolicy
{
    Cluster,
    Local,
}
