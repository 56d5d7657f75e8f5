using System.Text.Json.Serialization;

namespace Beacon.Contracts;

/// <summary>
/// The complete desired state of one Service: everything a node needs to act without asking Kubernetes.
/// Each change replaces the previous one for the same <see cref="Service"/> (it is not a delta).
/// </summary>
/// <param name="ServiceGroup">The ServiceGroup the addresses came from.</param>
/// <param name="ReadyNodes">Nodes with ready endpoints (matters for <see cref="TrafficPolicy.Local"/>), sorted.</param>
/// <param name="SharingKey">Services with the same sharing key share addresses; null when not shared.</param>
/// <param name="Sequence">Position in the Allocator's stream, monotonically increasing within <paramref name="Epoch"/>.</param>
/// <param name="Epoch">The Allocator instance/leadership term that assigned <paramref name="Sequence"/>.</param>
/// <param name="Announce">How the addresses are to be announced when the group's configuration says so (MetalLB
/// advertisements and peers); absent (not written) for PureLB groups, whose announcement follows from the subnets.</param>
public sealed record AllocationChanged(
    ServiceKey Service,
    IReadOnlyList<AllocatedAddress> Addresses,
    string? ServiceGroup,
    IReadOnlyList<ServicePort> Ports,
    TrafficPolicy ExternalTrafficPolicy,
    IReadOnlyList<string> ReadyNodes,
    string? SharingKey,
    long Sequence,
    string Epoch,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AnnouncementPolicy? Announce = null);
