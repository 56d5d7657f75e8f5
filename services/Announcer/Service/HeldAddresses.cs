using System.Collections.Immutable;
using Beacon.Contracts;

namespace Beacon.Announcer.Service;

/// <summary>
/// What this node carries right now, as its NodeAgent reported it: addresses it owns on its own interface or
/// carries on <c>kube-lb0</c>. Folded from the node's announcement events (the latest event per address wins), and
/// seeded from the kernel at start, because announcements are changes and an announcer may start after them.
/// Immutable: every change returns a new value.
/// </summary>
public sealed record HeldAddresses(ImmutableDictionary<string, HeldAddress> ByAddress)
{
    public static HeldAddresses Empty { get; } = new(ImmutableDictionary<string, HeldAddress>.Empty.WithComparers(StringComparer.Ordinal));

    /// <summary>Applies one of this node's announcements; announcements of other nodes change nothing.</summary>
    public HeldAddresses Apply(Announcement announcement, string node)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        if (!string.Equals(announcement.Node, node, StringComparison.Ordinal))
        {
            return this;
        }

        return announcement.Role == AnnouncementRole.Withdrawn
            ? this with { ByAddress = ByAddress.Remove(announcement.Address) }
            : this with { ByAddress = ByAddress.SetItem(announcement.Address, new HeldAddress(announcement.Address, announcement.Service, announcement.Interface, announcement.Role)) };
    }

    public HeldAddresses Add(HeldAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return this with { ByAddress = ByAddress.SetItem(address.Address, address) };
    }
}

/// <summary>One address a node carries; <paramref name="Service"/> is null when it was seeded from the kernel.</summary>
public sealed record HeldAddress(string Address, ServiceKey? Service, string Interface, AnnouncementRole Role);
