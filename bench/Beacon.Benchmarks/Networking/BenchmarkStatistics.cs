using System.Globalization;

namespace Beacon.Benchmarks.Networking;

/// <summary>Percentiles and formatting shared by the networking suites.</summary>
internal static class BenchmarkStatistics
{
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string F(double value, int decimals = 1) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Header(string name) =>
        $"Command: `./build.sh --target=Bench --bench={name}` · {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC · " +
        $"{Environment.ProcessorCount} cores, {Environment.OSVersion.VersionString}, .NET {Environment.Version} " +
        "(shared machine: other work ran at the same time, so absolute numbers are noisy).";
}
