using Microsoft.Extensions.Hosting;

namespace Beacon.Hosting.Health;

/// <summary>Ready once every hosted service has started, and no longer ready once shutdown begins.</summary>
internal sealed class HostStartedCheck(IHostApplicationLifetime lifetime) : IReadinessCheck
{
    public string Name => "host";

    public Readiness Check() =>
        lifetime.ApplicationStopping.IsCancellationRequested ? Readiness.NotReady("shutting down")
        : lifetime.ApplicationStarted.IsCancellationRequested ? Readiness.Ready
        : Readiness.NotReady("starting");
}
