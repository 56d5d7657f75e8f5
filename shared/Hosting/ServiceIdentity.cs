namespace Beacon.Hosting;

/// <summary>Who a service is: its name in logs, help and metrics, a one-line summary, and its default HTTP port.</summary>
/// <param name="Name">Process name, e.g. "beacon-allocator".</param>
/// <param name="Summary">One sentence shown at the top of --help.</param>
/// <param name="DefaultHttpPort">Port for /healthz, /readyz and /metrics unless --http-port says otherwise.</param>
public sealed record ServiceIdentity(string Name, string Summary, int DefaultHttpPort);
