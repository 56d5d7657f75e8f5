using Beacon.Allocator;
using Beacon.Allocator.Controller;
using Beacon.Allocator.Kubernetes;
using Beacon.Hosting;
using Beacon.Hosting.Health;
using Beacon.Messaging;
using Beacon.Messaging.Nats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Options, logging, /healthz, /readyz, /metrics and SIGTERM handling come from BeaconHost.
return await BeaconHost.RunAsync<AllocatorOptions>(
    args,
    new ServiceIdentity("beacon-allocator", "Assigns addresses from ServiceGroup pools to LoadBalancer Services and publishes them on NATS.", 9470),
    static (builder, options) =>
    {
        var readiness = new ReadinessFlag("source", "Services and ServiceGroups not loaded yet");
        builder.Services.AddReadinessCheck(readiness);
        builder.Services.AddSingleton(readiness);
        builder.Services.AddSingleton(sp =>
        {
            var state = new AllocatorState();
            AllocatorMetrics.Register(sp.GetRequiredService<Prometheus.CollectorRegistry>(), state);
            return state;
        });
        if (options.Nats.Enabled)
        {
            builder.Services.AddSingleton<IEventBus>(sp => new NatsEventBus(
                options.Nats.ToNatsOptions("beacon-allocator-" + Environment.MachineName), sp.GetRequiredService<ILogger<NatsEventBus>>()));
            builder.Services.AddSingleton<IDesiredStateSink>(sp => new NatsDesiredStateSink(sp.GetRequiredService<IEventBus>(), sp.GetRequiredService<ILoggerFactory>(), options.Nats.ToStreamOptions()));
            builder.Services.AddHostedService<Beacon.Allocator.Queries.QueryResponder>();
        }
        else
        {
            builder.Services.AddSingleton<IDesiredStateSink, NoDesiredStateSink>();
        }

        if (options.Source == AllocatorSource.Standalone)
        {
            builder.Services.AddHostedService(sp => new Beacon.Allocator.Standalone.StandaloneAllocatorWorker(options, sp.GetRequiredService<ILoggerFactory>(), readiness,
                sp.GetRequiredService<IDesiredStateSink>(), sp.GetRequiredService<AllocatorState>(), sp.GetService<IEventBus>()));
        }
        else
        {
            builder.Services.AddHostedService(sp => new KubernetesAllocatorWorker(options, sp.GetRequiredService<ILoggerFactory>(), readiness,
                sp.GetRequiredService<IDesiredStateSink>(), sp.GetRequiredService<AllocatorState>(), sp.GetService<IEventBus>()));
        }
    });
