namespace Beacon.Ipam;

/// <summary>What an outcome means for the Service's status.</summary>
public enum AllocationStatus
{
    /// <summary>The Service holds a valid address for every family it gets; write them to status.</summary>
    Allocated,

    /// <summary>Valid request, but no address can be given now (see the failure). Holds nothing; retry on group changes.</summary>
    Pending,

    /// <summary>
    /// The Service still holds its addresses but at least one is no longer valid (see <see cref="AllocationOutcome.StaleAddresses"/>);
    /// nothing was renumbered because <see cref="AllocatorOptions.RenumberInvalid"/> is off. Leave status as it is and warn.
    /// </summary>
    Stale,

    /// <summary>The request is malformed. Any addresses it held before are kept unchanged (a typo never loses an address).</summary>
    Rejected,

    /// <summary>Not <c>type: LoadBalancer</c> or another <c>loadBalancerClass</c>: anything it held has been released.</summary>
    NotManaged,
}
