using System.Net;
using Beacon.Contracts;

namespace Beacon.NodeAgent.Domain;

/// <summary>
/// One address the desired state asks for, with every Service that uses it (shared addresses appear once).
/// </summary>
/// <param name="ReadyNodesUnderLocal">
/// Null when no Service on the address has <c>externalTrafficPolicy: Local</c>; otherwise the nodes with ready endpoints
/// for every such Service (the intersection), because traffic to any of the shared ports must be served on the node.
/// </param>
public sealed record AddressDemand(
    IPAddress Address,
    int PrefixLength,
    AddressPlacement Placement,
    IReadOnlyList<ServiceKey> Services,
    IReadOnlySet<string>? ReadyNodesUnderLocal)
{
    /// <summary>The group's explicit layer-2 advertisements (null for PureLB groups): who may own the address (<see cref="Layer2Eligibility"/>).</summary>
    public IReadOnlyList<Layer2Announcement>? Layer2 { get; init; }

    /// <summary>Whether <paramref name="node"/> may carry the address as far as endpoints are concerned.</summary>
    public bool Allows(string node) => ReadyNodesUnderLocal is null || ReadyNodesUnderLocal.Contains(node);

    /// <summary>
    /// Groups the desired state by address, ordered by address bytes. Entries whose address does not parse are skipped
    /// (the Allocator validates; a bad entry must not stop the others). When Services disagree on the prefix length or
    /// placement of a shared address, the first Service by key decides, so every node resolves it alike.
    /// </summary>
    public static IReadOnlyList<AddressDemand> From(IEnumerable<AllocationChanged> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var byAddress = new Dictionary<IPAddress, Builder>();
        foreach (var service in services.OrderBy(s => s.Service))
        {
            foreach (var allocated in service.Addresses)
            {
                if (Parse(allocated) is not { } address)
                {
                    continue;
                }

                if (!byAddress.TryGetValue(address, out var builder))
                {
                    builder = new Builder(address, allocated.PrefixLength, allocated.Placement);
                    byAddress.Add(address, builder);
                }

                builder.Add(service);
            }
        }

        return [.. byAddress.Values.Select(b => b.Build()).OrderBy(d => d.Address, AddressOrder.Instance)];
    }

    /// <summary>
    /// The demand for one address from the Services that use it, given in key order (null when none does), resolved as
    /// <see cref="From"/> resolves it: what <see cref="AddressDemandIndex"/> recomputes for an address whose Services changed.
    /// </summary>
    public static AddressDemand? For(IPAddress address, IEnumerable<AllocationChanged> servicesByKey)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(servicesByKey);
        Builder? builder = null;
        foreach (var service in servicesByKey)
        {
            foreach (var allocated in service.Addresses)
            {
                if (Parse(allocated) is { } parsed && parsed.Equals(address))
                {
                    builder ??= new Builder(address, allocated.PrefixLength, allocated.Placement);
                    builder.Add(service);
                }
            }
        }

        return builder?.Build();
    }

    /// <summary>The allocated address, or null when it does not parse or its prefix length cannot be right.</summary>
    public static IPAddress? Parse(AllocatedAddress allocated)
    {
        ArgumentNullException.ThrowIfNull(allocated);
        return IPAddress.TryParse(allocated.Address, out var address) && allocated.PrefixLength >= 0 && allocated.PrefixLength <= NetworkPrefix.MaxLength(address)
            ? address
            : null;
    }

    private sealed class Builder(IPAddress address, int prefixLength, AddressPlacement placement)
    {
        private readonly List<ServiceKey> _services = [];
        private HashSet<string>? _ready;
        private IReadOnlyList<Layer2Announcement>? _layer2;

        public void Add(AllocationChanged service)
        {
            if (_services.Contains(service.Service))
            {
                return;
            }

            _services.Add(service.Service);
            // The first Service by key that names advertisements decides, so every node resolves a shared address alike.
            _layer2 ??= service.Announce?.Layer2 is { Count: > 0 } layer2 ? layer2 : null;
            if (service.ExternalTrafficPolicy == TrafficPolicy.Local)
            {
                if (_ready is null)
                {
                    _ready = new HashSet<string>(service.ReadyNodes, StringComparer.Ordinal);
                }
                else
                {
                    _ready.IntersectWith(service.ReadyNodes);
                }
            }
        }

        public AddressDemand Build() => new(address, prefixLength, placement, _services, _ready) { Layer2 = _layer2 };
    }
}
