using Beacon.Announcer.Modes;
using Beacon.Contracts;

namespace Beacon.Announcer.Service;

/// <summary>
/// Which resource peers each address's route is handed to, from a set the mode applied, and which reports differ from
/// what was reported before (so only changes go on the bus). Addresses that left the set are forgotten, so they are
/// reported again if they come back. Pure.
/// </summary>
public static class HandOffReport
{
    /// <summary>Peer names per address (canonical text) of the applied set, sorted.</summary>
    public static IReadOnlyDictionary<string, HandOff> Of(AnnouncementSet applied)
    {
        ArgumentNullException.ThrowIfNull(applied);
        return applied.Addresses
            .Where(a => ServiceOf(a.Service) is not null)
            .GroupBy(a => a.Address.ToString(), StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => new HandOff(
                    ServiceOf(g.First().Service)!,
                    g.First().Interface,
                    g.First().Kind == AddressKind.LocalOwner ? AnnouncementRole.Owner : AnnouncementRole.Member,
                    [.. g.SelectMany(a => a.Advertisements.Select(p => p.Peer)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]),
                StringComparer.Ordinal);
    }

    /// <summary>"namespace/name" as a key; null for an address whose Service is unknown (nothing to report it under).</summary>
    public static ServiceKey? ServiceOf(string service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var parts = service.Split('/');
        return parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0 ? new ServiceKey(parts[0], parts[1]) : null;
    }

    /// <summary>The hand-offs of <paramref name="now"/> that are new or differ from <paramref name="reported"/>.</summary>
    public static IReadOnlyList<(string Address, HandOff HandOff)> Changes(
        IReadOnlyDictionary<string, HandOff> reported, IReadOnlyDictionary<string, HandOff> now)
    {
        ArgumentNullException.ThrowIfNull(reported);
        ArgumentNullException.ThrowIfNull(now);
        return now
            .Where(n => !reported.TryGetValue(n.Key, out var before) || !before.Equals(n.Value))
            .OrderBy(n => n.Key, StringComparer.Ordinal)
            .Select(n => (Address: n.Key, HandOff: n.Value))
            .ToList();
    }
}

/// <summary>One address's route as handed to the routing daemon: its Service, interface, role and resource peers.</summary>
public sealed record HandOff(ServiceKey Service, string Interface, AnnouncementRole Role, IReadOnlyList<string> Peers)
{
    public bool Equals(HandOff? other) =>
        other is not null && Service == other.Service && Interface == other.Interface && Role == other.Role
        && Peers.SequenceEqual(other.Peers, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Service, Interface, Role, Peers.Count);
}
