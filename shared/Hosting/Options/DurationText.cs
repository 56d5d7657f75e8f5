using System.Globalization;

namespace Beacon.Hosting.Options;

/// <summary>
/// Durations as operators write them: "100ms", "5s", "1.5m", "2h", "1d", or .NET's "hh:mm:ss[.fff]".
/// A leading minus is accepted so validation, not parsing, reports negative values.
/// </summary>
public static class DurationText
{
    private static readonly (string Suffix, double Milliseconds)[] Units =
    [
        ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ];

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var s = text.Trim();
        // "ms" before "m" and "s": the longest suffix wins.
        foreach (var (suffix, ms) in Units.OrderByDescending(u => u.Suffix.Length))
        {
            if (!s.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                continue;
            var number = s[..^suffix.Length].Trim();
            if (number.Length == 0 || !char.IsAsciiDigit(number[^1]))
                continue;
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || double.IsNaN(amount))
                return false;
            var total = amount * ms;
            if (Math.Abs(total) > TimeSpan.MaxValue.TotalMilliseconds)
                return false;
            value = TimeSpan.FromTicks((long)Math.Round(total * TimeSpan.TicksPerMillisecond));
            return true;
        }
        return TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out value);
    }

    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
            return "0s";
        var sign = value < TimeSpan.Zero ? "-" : string.Empty;
        var abs = value.Duration();
        foreach (var (suffix, ms) in Units.Reverse())
        {
            var amount = abs.TotalMilliseconds / ms;
            if (amount >= 1 && abs.Ticks % (long)(ms * TimeSpan.TicksPerMillisecond) == 0)
                return sign + amount.ToString(CultureInfo.InvariantCulture) + suffix;
        }
        return sign + abs.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
    }
}
