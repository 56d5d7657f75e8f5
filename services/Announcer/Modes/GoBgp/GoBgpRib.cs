using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Beacon.Announcer.Modes.GoBgp;

/// <summary>
/// Reads <c>gobgp global rib -a FAMILY -j</c>. Pure. Only locally originated paths count (they have no
/// <c>neighbor-ip</c>); routes learned from peers are not ours to reconcile.
/// </summary>
public static class GoBgpRib
{
    private const int LocalPrefAttribute = 5;
    private const int CommunitiesAttribute = 8;
    private const int LargeCommunitiesAttribute = 32;

    public static IReadOnlyList<GoBgpPath> ParseLocalPaths(string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        using var document = JsonDocument.Parse(json);
        var paths = new List<GoBgpPath>();
        foreach (var destination in document.RootElement.EnumerateObject())
        {
            if (!IPNetwork.TryParse(destination.Name, out var prefix))
            {
                continue;
            }

            foreach (var path in destination.Value.EnumerateArray().Where(IsLocal))
            {
                paths.Add(new GoBgpPath(prefix, AttributesOf(path)));
            }
        }

        return paths;
    }

    private static bool IsLocal(JsonElement path) =>
        !path.TryGetProperty("neighbor-ip", out var neighbor)
        || neighbor.ValueKind != JsonValueKind.String
        || neighbor.GetString() is null or "" or "0.0.0.0" or "::" or "<nil>";

    private static BgpAttributes AttributesOf(JsonElement path)
    {
        var communities = new List<string>();
        var large = new List<string>();
        uint? localPref = null;
        if (path.TryGetProperty("attrs", out var attrs))
        {
            foreach (var attr in attrs.EnumerateArray())
            {
                switch (attr.GetProperty("type").GetInt32())
                {
                    case LocalPrefAttribute:
                        localPref = attr.GetProperty("value").GetUInt32();
                        break;
                    case CommunitiesAttribute:
                        communities.AddRange(attr.GetProperty("communities").EnumerateArray()
                            .Select(c => c.GetUInt32())
                            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c >> 16}:{c & 0xFFFF}")));
                        break;
                    case LargeCommunitiesAttribute:
                        large.AddRange(attr.GetProperty("value").EnumerateArray().Select(c => string.Create(
                            CultureInfo.InvariantCulture,
                            $"{c.GetProperty("ASN").GetUInt32()}:{c.GetProperty("LocalData1").GetUInt32()}:{c.GetProperty("LocalData2").GetUInt32()}")));
                        break;
                }
            }
        }

        return new BgpAttributes(
            [.. communities.Order(StringComparer.Ordinal)],
            [.. large.Order(StringComparer.Ordinal)],
            localPref);
    }
}
