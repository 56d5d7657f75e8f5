using System.CommandLine;
using System.Globalization;

namespace Beacon.Ctl.Commands;

/// <summary>--timeout in seconds (fractions allowed), the same spelling on every command.</summary>
internal static class TimeoutOption
{
    public static Option<double> Create(double seconds, string what) => new("--timeout")
    {
        Description = string.Create(CultureInfo.InvariantCulture, $"{what}, in seconds (default {seconds})"),
        DefaultValueFactory = _ => seconds,
    };

    public static TimeSpan Get(ParseResult parse, Option<double> option) => TimeSpan.FromSeconds(Math.Max(0.05, parse.GetValue(option)));
}
