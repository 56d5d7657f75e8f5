using Microsoft.Extensions.Hosting;

namespace Beacon.Messaging.Nats;

/// <summary>Starts connecting without waiting: a component must come up (and keep its state) while NATS is down.</summary>
internal sealed class EventBusStarter(NatsEventBus connection) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        connection.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
