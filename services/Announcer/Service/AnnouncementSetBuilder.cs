using System.Net;
using Beacon.Announcer.Modes;
using Beacon.Contracts;

namespace Beacon.Announcer.Service;

/// <summary>
/// Turns what the node carries into the mode's input. Which addresses to announce comes from the node's own
/// announcements (the NodeAgent decided and plumbed them); the desired state only adds what the announcement lacks:
/// the ServiceGroup's aggregation and, for addresses seeded from the kernel, the Service. Pure.
/// </summary>
public static class AnnouncementSetBuilder
{
    public static AnnouncementSet Build(
        HeldAddresses held, IReadOnlyDictionary<ServiceKey, AllocationChanged> services, BgpAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(services);
        var byAddress = services.Values
            .SelectMany(s => s.Addresses.Select(a => (Service: s.Service, Allocated: a)))
            .GroupBy(x => Canonical(x.Allocated.Address), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(x => x.Service).First(), StringComparer.Ordinal);
        var addresses = new List<AnnouncedAddress>();
        foreach (var address in held.ByAddress.Values.OrderBy(a => a.Address, StringComparer.Ordinal))
        {
            if (!IPAddress.TryParse(address.Address, out var ip))
            {
                continue;
            }

            byAddress.TryGetValue(Canonical(address.Address), out var allocation);
            var kind = address.Role == AnnouncementRole.Owner ? AddressKind.LocalOwner : AddressKind.KubeLb0;
            var service = address.Service ?? allocation.Service;
            addresses.Add(new AnnouncedAddress(
                service?.ToString() ?? "unknown",
                ip,
                allocation.Allocated?.AggregationPrefixLength,
                kind,
                address.Interface,
                attributes));
        }

        return new AnnouncementSet(addresses);
    }

    private static string Canonical(string address) => IPAddress.TryParse(address, out var ip) ? ip.ToString() : address;
}
