using System.Globalization;
using System.Text.RegularExpressions;

namespace Beacon.Contracts;

/// <summary>Go's time.Duration syntax as MetalLB's holdTime / keepaliveTime use it (the Allocator validates it, nodes render it) ("90s", "1m30s", "500ms"). Pure.</summary>
public static partial class GoDuration
{
    public static TimeSpan? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var matches = Part().Matches(text.Trim());
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != text.Trim())
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (Match m in matches)
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            total += m.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                _ => TimeSpan.FromHours(n),
            };
        }

        return total;
    }

    [GeneratedRegex("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)")]
    private static partial Regex Part();
}
