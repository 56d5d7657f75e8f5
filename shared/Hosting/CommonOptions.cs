using Beacon.Hosting.Options;

namespace Beacon.Hosting;

/// <summary>Options every Beacon service has: its HTTP endpoints and its logging. Section names "Http" and "Log".</summary>
public sealed class CommonOptions : IOptionSection
{
    public HttpOptions Http { get; set; } = new();

    public LogOptions Log { get; set; } = new();
}
