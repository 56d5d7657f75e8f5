using System.Net;
using Beacon.Hosting.Health;
using Beacon.Hosting.Http;
using Beacon.Hosting.Logging;
using Beacon.Hosting.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;
using Serilog;

namespace Beacon.Hosting;

/// <summary>
/// Runs a Beacon service: reads and validates options (or prints --help), sets up Serilog, serves
/// /healthz, /readyz and /metrics, runs the hosted services the caller registers, and stops them
/// within <see cref="ShutdownTimeout"/> of SIGTERM. Returns the process exit code (see <see cref="ExitCodes"/>).
/// </summary>
public static class BeaconHost
{
    /// <summary>How long hosted services get, together, for their StopAsync after SIGTERM.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(4);

    /// <summary>Hard limit from SIGTERM to process exit; a service still stopping then is ended with exit code 1.</summary>
    public static readonly TimeSpan ShutdownDeadline = TimeSpan.FromSeconds(5);

    /// <param name="args">The process arguments.</param>
    /// <param name="identity">Name, summary and default HTTP port of the service.</param>
    /// <param name="configure">Adds the service's components, e.g. <c>builder.Services.AddHostedService&lt;X&gt;()</c>.
    /// <typeparamref name="TOptions"/> and <see cref="CommonOptions"/> are already registered as singletons.</param>
    /// <param name="stopToken">Stops the service like SIGTERM does; for running a service inside a test process.</param>
    public static async Task<int> RunAsync<TOptions>(
        string[] args,
        ServiceIdentity identity,
        Action<HostApplicationBuilder, TOptions> configure,
        CancellationToken stopToken = default)
        where TOptions : class, IOptionSection, new()
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(configure);

        var catalog = CreateCatalog<TOptions>(identity);
        var loaded = OptionsLoader.Load(catalog, args, AppContext.BaseDirectory);
        if (loaded.HelpRequested)
        {
            await Console.Out.WriteAsync(HelpText.Render(identity, catalog));
            return ExitCodes.Success;
        }
        if (!loaded.IsValid)
        {
            await Console.Error.WriteAsync(ProblemReport.Render(identity, loaded));
            return ExitCodes.InvalidOptions;
        }

        var options = loaded.Get<TOptions>();
        var common = loaded.Get<CommonOptions>();
        await using var logger = BeaconLogging.Create(identity, common.Log);
        var log = logger.ForContext("SourceContext", identity.Name);
        foreach (var warning in loaded.Warnings)
            log.Warning("Option warning: {Warning:l}", warning);
        var changed = loaded.ChangedFromDefaults();
        log.Information("{Service:l} starting; options set: {Options:l}", identity.Name, changed.Count == 0 ? "(all defaults)" : string.Join(' ', changed));

        IHost? app = null;
        try
        {
            app = Build(identity, options, common, logger, configure);
            await using var stopping = stopToken.Register(app.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication);
            await app.StartAsync(stopToken);
            log.Information("{Service:l} listening on {Url:l}", identity.Name, app.Services.GetRequiredService<ProbeHttpServer>().Url);
            await app.WaitForShutdownAsync();
            if (ReportFailedComponents(app, identity, log))
                return ExitCodes.Failure;
            log.Information("{Service:l} stopped", identity.Name);
            return ExitCodes.Success;
        }
#pragma warning disable CA1031 // The process boundary: anything that escapes is logged once and becomes the exit code.
        catch (Exception e)
#pragma warning restore CA1031
        {
            // A component failing during start cancels the rest; its own error says more than the cancellation.
            if (app is null || !ReportFailedComponents(app, identity, log))
                log.Fatal(e, "{Service:l} failed: {Reason:l}", identity.Name, e.Message);
            return ExitCodes.Failure;
        }
        finally
        {
            if (app is IAsyncDisposable disposable)
                await disposable.DisposeAsync();
            else
                app?.Dispose();
        }
    }

    /// <summary>Logs every BackgroundService whose ExecuteAsync threw; true when there was one.</summary>
    private static bool ReportFailedComponents(IHost app, ServiceIdentity identity, Serilog.ILogger log)
    {
        var failed = app.Services.GetServices<IHostedService>().OfType<BackgroundService>()
            .Select(s => (Component: s.GetType().Name, Error: s.ExecuteTask?.Exception?.GetBaseException()))
            .Where(f => f.Error is not null)
            .ToList();
        foreach (var (component, error) in failed)
            log.Fatal(error, "{Service:l} stopped because {Component:l} failed: {Reason:l}", identity.Name, component, error!.Message);
        return failed.Count > 0;
    }

    /// <summary>The options of a service: its own class plus the common Http and Log sections.</summary>
    public static OptionCatalog CreateCatalog<TOptions>(ServiceIdentity identity)
        where TOptions : class, IOptionSection, new()
    {
        ArgumentNullException.ThrowIfNull(identity);
        return OptionCatalog.For(
            () => new TOptions(),
            () => new CommonOptions { Http = new HttpOptions { Port = identity.DefaultHttpPort } });
    }

    private static IHost Build<TOptions>(
        ServiceIdentity identity,
        TOptions options,
        CommonOptions common,
        Serilog.ILogger logger,
        Action<HostApplicationBuilder, TOptions> configure)
        where TOptions : class, IOptionSection, new()
    {
        // Options were bound above from our own sources, and Serilog is the only logger: the empty builder adds no
        // configuration sources (no appsettings.json read twice, no file watcher) and no logger providers.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        // Serilog.Extensions.Hosting: every ILogger<T> goes to this logger, filtered by its levels only.
        builder.Services.AddSerilog(logger, dispose: false);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);

        var metrics = ServiceMetrics.CreateRegistry(identity);
        builder.Services.AddSingleton(identity);
        builder.Services.AddSingleton(metrics);
        builder.Services.AddSingleton<IMetricFactory>(Metrics.WithCustomRegistry(metrics));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(common);
        builder.Services.AddReadinessCheck<HostStartedCheck>();
        // Registered first so it is armed before any component starts stopping.
        builder.Services.AddHostedService(sp => new ShutdownWatchdog(sp.GetRequiredService<IHostApplicationLifetime>(), ShutdownDeadline, () =>
        {
            logger.Fatal("{Service:l} did not stop within {Deadline:l}; ending the process", identity.Name, DurationText.Format(ShutdownDeadline));
            NativeProcess.Exit(ExitCodes.Failure);
        }));

        configure(builder, options);

        // /healthz, /readyz and /metrics: registered last, so it starts after every component and stops before them.
        builder.Services.AddSingleton(sp => new HealthEndpoints(sp.GetServices<IReadinessCheck>(), sp.GetRequiredService<CollectorRegistry>()));
        builder.Services.AddSingleton(sp => new ProbeHttpServer(
            new IPEndPoint(IPAddress.Parse(common.Http.Address), common.Http.Port), sp.GetRequiredService<HealthEndpoints>(), sp.GetRequiredService<ILogger<ProbeHttpServer>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ProbeHttpServer>());
        return builder.Build();
    }
}
