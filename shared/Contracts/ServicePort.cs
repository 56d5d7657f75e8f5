namespace Beacon.Contracts;

/// <summary>A Service port; <paramref name="Protocol"/> is TCP, UDP or SCTP as in Kubernetes.</summary>
public sealed record ServicePort(int Port, string Protocol);
