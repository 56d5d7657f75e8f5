using System.Globalization;

namespace Beacon.Announcer.Modes.Routing;

/// <summary>
/// Checks what ends up inside a daemon's configuration or command line, so a bad option value is reported instead
/// of breaking (or injecting into) the daemon's config.
/// </summary>
public static class RouteValidation
{
    /// <summary>Problems with the routes' attributes and interface names; empty when every route can be rendered.</summary>
    public static IReadOnlyList<string> Problems(IEnumerable<AnnouncedRoute> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var problems = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var route in routes)
        {
            if (!IsInterfaceName(route.Interface))
            {
                problems.Add($"'{route.Interface}' is not an interface name (route {route.Prefix})");
            }

            foreach (var c in route.Attributes.Communities.Where(c => !TryParseCommunity(c, out _, out _)))
            {
                problems.Add($"'{c}' is not a BGP community (expected ASN:value, each 0-65535)");
            }

            foreach (var c in route.Attributes.LargeCommunities.Where(c => !TryParseLargeCommunity(c, out _)))
            {
                problems.Add($"'{c}' is not a BGP large community (expected global:local1:local2, each 0-4294967295)");
            }
        }

        return [.. problems];
    }

    public static bool IsInterfaceName(string name) =>
        name.Length is > 0 and <= 15 && name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.');

    public static bool TryParseCommunity(string text, out ushort asn, out ushort value)
    {
        asn = 0;
        value = 0;
        var parts = text.Split(':');
        return parts.Length == 2
            && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit))
            && ushort.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out asn)
            && ushort.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryParseLargeCommunity(string text, out (uint Global, uint Local1, uint Local2) community)
    {
        community = default;
        var parts = text.Split(':');
        if (parts.Length != 3 || !parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
        {
            return false;
        }

        var ok = uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var g)
            & uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var l1)
            & uint.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var l2);
        community = (g, l1, l2);
        return ok;
    }
}
