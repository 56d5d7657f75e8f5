using Beacon.Hosting;
using Microsoft.Extensions.Hosting;

namespace Beacon.Services.Tests.Hosting;

public sealed class ShutdownWatchdogTests
{
    [Fact]
    public async Task Fires_when_the_process_is_still_stopping_after_the_deadline()
    {
        var lifetime = new FakeLifetime();
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watchdog = new ShutdownWatchdog(lifetime, TimeSpan.FromMilliseconds(100), () => fired.TrySetResult());
        await watchdog.StartAsync(CancellationToken.None);

        lifetime.StopApplication();

        await fired.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Stays_quiet_while_running_and_after_a_timely_stop()
    {
        var lifetime = new FakeLifetime();
        var fired = 0;
        var watchdog = new ShutdownWatchdog(lifetime, TimeSpan.FromMilliseconds(200), () => Interlocked.Increment(ref fired));
        await watchdog.StartAsync(CancellationToken.None);

        lifetime.StopApplication();
        watchdog.Dispose();
        // A negative can only be shown by waiting past the deadline.
        await Task.Delay(TimeSpan.FromMilliseconds(600));

        fired.Should().Be(0);
    }

    private sealed class FakeLifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => _stopping.Cancel();
    }
}
