using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Beacon.Announcer.Modes.Frr;

/// <summary>
/// One route-map per distinct set of BGP attributes, named after a hash of its content: a name never changes
/// meaning, so an existing route-map never needs editing, only adding or removing.
/// </summary>
public static class FrrRouteMaps
{
    public static string NameOf(BgpAttributes attributes, string routeMapPrefix)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', SetStatements(attributes))));
        return routeMapPrefix + "-" + Convert.ToHexStringLower(digest.AsSpan(0, 4));
    }

    /// <summary>The <c>set</c> lines of the route-map, in a fixed order.</summary>
    public static IReadOnlyList<string> SetStatements(BgpAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var lines = new List<string>();
        if (attributes.Communities.Count > 0)
        {
            lines.Add("set community " + string.Join(' ', attributes.Communities));
        }

        if (attributes.LargeCommunities.Count > 0)
        {
            lines.Add("set large-community " + string.Join(' ', attributes.LargeCommunities));
        }

        if (attributes.LocalPreference is { } pref)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"set local-preference {pref}"));
        }

        return lines;
    }
}
