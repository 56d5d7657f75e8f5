namespace Beacon.Announcer.Modes;

/// <summary>
/// BGP path attributes a routing mode attaches to a route. Communities are in <c>ASN:value</c> form
/// (<c>65000:100</c>), large communities in <c>global:local1:local2</c> form (<c>65000:1:2</c>).
/// </summary>
/// <param name="LocalPreference">Only meaningful towards iBGP peers; eBGP sessions do not carry it.</param>
public sealed record BgpAttributes(
    IReadOnlyList<string> Communities,
    IReadOnlyList<string> LargeCommunities,
    uint? LocalPreference)
{
    public static BgpAttributes None { get; } = new([], [], null);

    public bool IsEmpty => Communities.Count == 0 && LargeCommunities.Count == 0 && LocalPreference is null;

    /// <summary>
    /// Attributes of a route that covers several addresses: the union of communities (sorted, so the result does not
    /// depend on order) and the highest local preference.
    /// </summary>
    public BgpAttributes Merge(BgpAttributes other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            [.. Communities.Union(other.Communities, StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            [.. LargeCommunities.Union(other.LargeCommunities, StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            (LocalPreference, other.LocalPreference) switch
            {
                (null, var b) => b,
                (var a, null) => a,
                (var a, var b) => Math.Max(a!.Value, b!.Value),
            });
    }

    public bool Equals(BgpAttributes? other) =>
        other is not null
        && Communities.SequenceEqual(other.Communities, StringComparer.Ordinal)
        && LargeCommunities.SequenceEqual(other.LargeCommunities, StringComparer.Ordinal)
        && LocalPreference == other.LocalPreference;

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var c in Communities) { hash.Add(c, StringComparer.Ordinal); }
        foreach (var c in LargeCommunities) { hash.Add(c, StringComparer.Ordinal); }
        hash.Add(LocalPreference);
        return hash.ToHashCode();
    }
}
