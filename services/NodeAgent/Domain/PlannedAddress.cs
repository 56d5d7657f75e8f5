using Beacon.Contracts;

namespace Beacon.NodeAgent.Domain;

/// <summary>An address this node should hold, why (<see cref="Role"/>), and for which Services.</summary>
public sealed record PlannedAddress(PlumbedAddress Plumbing, AnnouncementRole Role, IReadOnlyList<ServiceKey> Services);
