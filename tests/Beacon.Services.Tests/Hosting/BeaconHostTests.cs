using Beacon.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Beacon.Services.Tests.Hosting;

/// <summary>BeaconHost run inside the test process: hosted services start, and get StopAsync when the service stops.</summary>
public sealed class BeaconHostTests
{
    private static readonly ServiceIdentity Identity = new("beacon-sample", "Sample.", 0);
    private static readonly string[] QuietLoopback = ["--http-address", "127.0.0.1", "--http-port", "0", "--log-level", "error"];

    [Fact]
    public async Task Hosted_services_start_with_bound_options_and_are_stopped_on_shutdown()
    {
        var component = new Probe();
        using var stop = new CancellationTokenSource();
        SampleOptions? seen = null;

        var run = BeaconHost.RunAsync<SampleOptions>([.. QuietLoopback, "--retries", "5"], Identity, (builder, options) =>
        {
            seen = options;
            builder.Services.AddSingleton(component);
            builder.Services.AddHostedService<RecordingComponent>();
        }, stopToken: stop.Token);

        await component.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        seen!.Retries.Should().Be(5);
        component.Options!.Retries.Should().Be(5, "the bound options object is what components get from DI");
        stop.Cancel();

        (await run.WaitAsync(TimeSpan.FromSeconds(30))).Should().Be(ExitCodes.Success);
        component.Stopped.Should().BeTrue();
    }

    [Fact]
    public async Task A_component_that_fails_to_start_makes_the_service_exit_with_1()
    {
        var exitCode = await BeaconHost.RunAsync<SampleOptions>(QuietLoopback, Identity,
            (builder, _) => builder.Services.AddHostedService<FailingComponent>())
            .WaitAsync(TimeSpan.FromSeconds(30));

        exitCode.Should().Be(ExitCodes.Failure);
    }

    [Fact]
    public async Task A_component_that_crashes_while_running_stops_the_service_with_exit_code_1()
    {
        var exitCode = await BeaconHost.RunAsync<SampleOptions>(QuietLoopback, Identity,
            (builder, _) => builder.Services.AddHostedService<CrashingComponent>())
            .WaitAsync(TimeSpan.FromSeconds(30));

        exitCode.Should().Be(ExitCodes.Failure);
    }

    [Fact]
    public async Task A_component_that_crashes_during_start_is_named_and_exits_1()
    {
        var exitCode = await BeaconHost.RunAsync<SampleOptions>(QuietLoopback, Identity,
            (builder, _) =>
            {
                builder.Services.AddHostedService<ImmediatelyCrashingComponent>();
                builder.Services.AddHostedService<SlowStartingComponent>();
            })
            .WaitAsync(TimeSpan.FromSeconds(30));

        exitCode.Should().Be(ExitCodes.Failure);
    }

    [Fact]
    public async Task Invalid_options_return_2_before_any_component_is_configured()
    {
        var configured = false;

        var exitCode = await BeaconHost.RunAsync<SampleOptions>([.. QuietLoopback, "--retries", "-1"], Identity, (_, _) => configured = true);

        exitCode.Should().Be(ExitCodes.InvalidOptions);
        configured.Should().BeFalse();
    }

    /// <summary>What the test observes of the component.</summary>
    private sealed class Probe
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public SampleOptions? Options { get; set; }

        public bool Stopped { get; set; }
    }

    private sealed class RecordingComponent(Probe probe, SampleOptions options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            probe.Options = options;
            probe.Started.TrySetResult();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            probe.Stopped = true;
            return Task.CompletedTask;
        }
    }

    private sealed class CrashingComponent : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("lost the netlink socket");
        }
    }

    private sealed class ImmediatelyCrashingComponent : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.FromException(new InvalidOperationException("no kubeconfig"));
    }

    private sealed class SlowStartingComponent : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class FailingComponent : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("cannot open netlink socket");

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
