using Microsoft.Extensions.Hosting;

namespace Beacon.Hosting;

/// <summary>
/// Enforces the shutdown deadline: once stopping begins, if the process is still here after <c>limit</c> (a component
/// ignored its cancellation token), <c>overrun</c> runs. The host disposes the watchdog after a timely stop, which
/// disarms it. In a service the overrun logs and ends the process, because Kubernetes would otherwise SIGKILL it later
/// with nothing logged.
/// </summary>
internal sealed class ShutdownWatchdog(IHostApplicationLifetime lifetime, TimeSpan limit, Action overrun) : IHostedService, IDisposable
{
    private readonly Lock _gate = new();
    private CancellationTokenRegistration _registration;
    private Timer? _timer;
    private bool _disposed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = lifetime.ApplicationStopping.Register(Arm);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
        }
        _registration.Dispose();
    }

    private void Arm()
    {
        lock (_gate)
        {
            if (!_disposed)
                _timer ??= new Timer(_ => overrun(), null, limit, Timeout.InfiniteTimeSpan);
        }
    }
}
