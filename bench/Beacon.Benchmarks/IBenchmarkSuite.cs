namespace Beacon.Benchmarks;

/// <summary>
/// One benchmark area (IPAM, bus, failover…). Each suite measures, then returns the Markdown that replaces
/// its own section of docs/benchmarks.md, so suites can be re-run one at a time.
/// </summary>
internal interface IBenchmarkSuite
{
    /// <summary>Short key used on the command line (<c>--bench ipam</c>) and as the section marker.</summary>
    string Name { get; }

    /// <summary>Runs the measurements and returns the section body (Markdown, without the markers).</summary>
    Task<string> RunAsync(CancellationToken cancellationToken);
}
