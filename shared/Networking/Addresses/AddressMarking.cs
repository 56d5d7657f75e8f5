namespace Beacon.Networking.Addresses;

/// <summary>How Beacon recognises the addresses it added, so it never touches anyone else's.</summary>
public enum AddressMarking
{
    /// <summary>IFA_PROTO = <see cref="BeaconAddressMark.Protocol"/> (kernel 5.18 and later); IPv4 and IPv6.</summary>
    Protocol,

    /// <summary>
    /// Older kernels: IPv4 gets IFA_LABEL <c>&lt;if&gt;:bcn</c>; IPv6 has no label, so only IPv6 addresses this
    /// process plumbed are recognised (leftovers of a dead agent still expire through their finite lifetime).
    /// </summary>
    Label,
}
