using System.Globalization;

namespace Beacon.Benchmarks.Footprint;

/// <summary>
/// Where a start goes, from the process's own log: for each start-up stage Beacon logs, the time of its first line after
/// the exec (text log lines start with HH:mm:ss.fff local time, so stages are resolved to the millisecond).
/// </summary>
internal static class StartupStages
{
    /// <summary>Stage → the text of the first line logged when it is reached, in the order a start passes them.</summary>
    public static readonly IReadOnlyList<(string Stage, string Marker)> Markers =
    [
        ("options read, logger up", "starting; options set"),
        ("components starting", " starting: "),
        ("NATS connected", "Connected to NATS at"),
        ("desired state read", "Desired state read from the stream"),
        ("HTTP listening", " listening on "),
        ("owners known", "Owners on our subnets per their stored status"),
        ("election warm-up over", "Warm-up over: "),
    ];

    /// <summary>The stages found in the lines <paramref name="logFile"/> gained from byte <paramref name="from"/> on, as time after <paramref name="exec"/>.</summary>
    public static Dictionary<string, TimeSpan> Read(string logFile, long from, DateTime exec)
    {
        var found = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(from, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        var execLocal = exec.ToLocalTime();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length < 12 || !TimeSpan.TryParseExact(line[..12], @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture, out var time))
            {
                continue;
            }

            var at = execLocal.Date + time;
            if (at < execLocal - TimeSpan.FromHours(12))
            {
                at = at.AddDays(1); // logged just after midnight
            }

            foreach (var (stage, marker) in Markers)
            {
                if (!found.ContainsKey(stage) && line.Contains(marker, StringComparison.Ordinal))
                {
                    found[stage] = at - execLocal;
                }
            }
        }

        return found;
    }
}
