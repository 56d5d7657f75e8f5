namespace Beacon.Ipam;

/// <summary>
/// Result of replacing the group set: validation errors (per rejected group), Services whose addresses are now
/// invalid (stale), and pending Services worth retrying. The Allocator should call
/// <see cref="AddressAllocator.Allocate"/> for every Service in <see cref="Stale"/> and <see cref="Pending"/>.
/// </summary>
public sealed record GroupUpdateResult(
    IReadOnlyList<ServiceGroupError> Errors,
    IReadOnlyList<ServiceKey> Stale,
    IReadOnlyList<ServiceKey> Pending);
