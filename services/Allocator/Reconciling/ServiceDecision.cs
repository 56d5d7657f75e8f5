using Beacon.Ipam;
using Beacon.Kube.Models;
using IpamAddress = Beacon.Ipam.AllocatedAddress;

namespace Beacon.Allocator.Reconciling;

/// <summary>
/// What a Service's status and annotations should be after one engine step. <see cref="Owned"/> false with
/// <see cref="Clear"/> true means "we no longer manage it: remove what we wrote"; false/false means "never ours,
/// do not touch". Writers compare with the object and write only differences.
/// </summary>
internal sealed record ServiceDecision(
    ServiceKey Key,
    AllocationStatus Status,
    bool Owned,
    bool Clear,
    IReadOnlyList<IpamAddress> Addresses,
    Condition? Condition,
    IReadOnlyDictionary<string, string?> Annotations,
    ServiceEventRecord? Event)
{
    public static ServiceDecision Untouched(ServiceKey key) =>
        new(key, AllocationStatus.NotManaged, false, false, [], null, new Dictionary<string, string?>(), null);
}
