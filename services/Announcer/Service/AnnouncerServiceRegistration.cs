using Beacon.Announcer.Convergence;
using Beacon.Announcer.Modes;
using Beacon.Announcer.Modes.Peers;
using Beacon.Messaging;
using Beacon.Messaging.DesiredState;
using Beacon.Messaging.Nats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Beacon.Announcer.Service;

public static class AnnouncerServiceRegistration
{
    /// <summary>
    /// Registers the bus, the desired-state replica and <see cref="AnnouncerWorker"/> driving the configured mode.
    /// Does nothing for a mode the catalog does not offer yet, so such a mode can be wired on its own.
    /// </summary>
    public static IServiceCollection AddAnnouncer(this IServiceCollection services, AnnouncerOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var factory = AnnouncerModeCatalog.CreateFactory();
        var mode = options.Mode?.ToString().ToLowerInvariant();
        if (mode is null || !factory.IsKnown(mode))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IEventBus>(sp => new NatsEventBus(
            options.Nats.ToNatsOptions("announcer-" + options.NodeName), sp.GetRequiredService<ILogger<NatsEventBus>>()));
        services.TryAddSingleton(sp => new DesiredStateReplica(
            sp.GetRequiredService<IEventBus>(),
            new DesiredStateReplicaOptions(),
            sp.GetRequiredService<ILogger<DesiredStateReplica>>()));
        services.AddHostedService(sp => new AnnouncerWorker(
            sp.GetRequiredService<IEventBus>(),
            sp.GetRequiredService<DesiredStateReplica>(),
            factory.Create(mode, sp),
            options.NodeName,
            options.Bgp.ToAttributes(),
            new PeerContext(options.Labels(), new PeerPasswordFiles(options.Bgp.PasswordDirectory)),
            new KubeLb0Seed(),
            ConvergenceTimings.Default,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        return services;
    }
}
