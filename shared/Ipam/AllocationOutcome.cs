namespace Beacon.Ipam;

/// <summary>
/// The engine's answer for one Service. <see cref="Addresses"/> is what the Service holds after the call, primary
/// family first (write them to <c>status.loadBalancer.ingress</c> when <see cref="Status"/> is Allocated).
/// <see cref="Changed"/> says whether the held addresses differ from before the call. <see cref="Failure"/> is set for
/// Pending, Stale and Rejected; for Allocated it is set only when PreferDualStack got fewer families than it asked for.
/// </summary>
public sealed record AllocationOutcome(
    ServiceKey Service,
    AllocationStatus Status,
    IReadOnlyList<AllocatedAddress> Addresses,
    AllocationFailure? Failure,
    IReadOnlyList<StaleAddress> StaleAddresses,
    bool Changed)
{
    public override string ToString() =>
        $"{Service}: {Status} [{string.Join(", ", Addresses)}]{(Failure is null ? string.Empty : " " + Failure)}";
}
