using Beacon.Messaging.Nats;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Beacon.Messaging;

public static class EventBusServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IEventBus"/> (a <see cref="NatsEventBus"/> bound from the "Nats" section, validated at
    /// startup, connecting in the background from a hosted service) and a shared <see cref="MessagingCounters"/>.
    /// </summary>
    public static IServiceCollection AddBeaconEventBus(this IServiceCollection services, IConfiguration configuration, Action<NatsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<MessagingCounters>();
        var options = services.AddOptions<NatsOptions>().Bind(configuration.GetSection(NatsOptions.SectionName));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.AddSingleton<IValidateOptions<NatsOptions>, NatsOptionsValidator>();
        services.AddSingleton(sp => new NatsEventBus(
            sp.GetRequiredService<IOptions<NatsOptions>>().Value,
            sp.GetService<ILogger<NatsEventBus>>(),
            sp.GetRequiredService<MessagingCounters>()));
        services.AddSingleton<IEventBus>(sp => sp.GetRequiredService<NatsEventBus>());
        services.AddHostedService<EventBusStarter>();
        return services;
    }
}
