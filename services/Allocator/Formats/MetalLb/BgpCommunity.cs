using System.Globalization;

namespace Beacon.Allocator.Formats.MetalLb;

/// <summary>
/// MetalLB's community syntax: standard "AA:NN" (two 16-bit numbers) or large "large:AA:BB:CC" (three 32-bit numbers);
/// anything else is the name of a value defined in a Community resource (or the legacy bgp-communities). Pure.
/// </summary>
internal static class BgpCommunity
{
    /// <summary>The community in canonical form, resolving aliases; null with <paramref name="error"/> when invalid.</summary>
    public static string? Resolve(string text, IReadOnlyDictionary<string, string> aliases, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(aliases);
        var trimmed = text.Trim();
        if (!trimmed.Contains(':', StringComparison.Ordinal))
        {
            if (!aliases.TryGetValue(trimmed, out var value))
            {
                error = $"'{trimmed}' is not a community (AA:NN or large:AA:BB:CC) nor the name of one defined in a Community resource";
                return null;
            }

            var resolved = Parse(value, out error);
            if (resolved is null)
            {
                error = $"community '{trimmed}' is defined as {error}";
            }

            return resolved;
        }

        return Parse(trimmed, out error);
    }

    public static string? Parse(string text, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split(':');
        if (parts.Length == 4 && parts[0].Equals("large", StringComparison.OrdinalIgnoreCase))
        {
            if (parts.Skip(1).All(p => uint.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                error = string.Empty;
                return "large:" + string.Join(':', parts.Skip(1).Select(p => uint.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture)));
            }

            error = $"'{text}' is not a large community: each of its three parts must be a number from 0 to 4294967295";
            return null;
        }

        if (parts.Length == 2 && parts.All(p => ushort.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            error = string.Empty;
            return $"{ushort.Parse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture)}:{ushort.Parse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture)}";
        }

        error = $"'{text}' is not a community: expected AA:NN with two numbers from 0 to 65535, or large:AA:BB:CC";
        return null;
    }
}
