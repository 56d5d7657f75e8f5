namespace Beacon.Announcer.Modes;

/// <summary>Everything this node must announce right now: the complete desired state, never a delta.</summary>
public sealed record AnnouncementSet(IReadOnlyList<AnnouncedAddress> Addresses)
{
    public static AnnouncementSet Empty { get; } = new([]);

    public IEnumerable<AnnouncedAddress> OfKind(AddressKind kind) => Addresses.Where(a => a.Kind == kind);
}
