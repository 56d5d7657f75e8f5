using System.Globalization;

namespace Beacon.Announcer.Modes.L2;

/// <summary>The interface of the IPv4 default route, read from <c>/proc/net/route</c> (used when none is configured).</summary>
public static class DefaultRouteInterface
{
    /// <summary>Parses the kernel's route table text; null when there is no default route.</summary>
    public static string? Parse(string procNetRoute)
    {
        ArgumentNullException.ThrowIfNull(procNetRoute);
        foreach (var line in procNetRoute.Split('\n').Skip(1))
        {
            var fields = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 8 && fields[1] == "00000000" && fields[7] == "00000000" &&
                int.TryParse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var flags) && (flags & 1) != 0)
            {
                return fields[0];
            }
        }

        return null;
    }

    public static string? Find() => File.Exists("/proc/net/route") ? Parse(File.ReadAllText("/proc/net/route")) : null;
}
