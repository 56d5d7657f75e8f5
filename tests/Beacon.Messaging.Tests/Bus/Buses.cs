using Beacon.Messaging;
using Beacon.Messaging.Nats;
using Beacon.TestSupport.Nats;

namespace Beacon.Messaging.Tests.Bus;

/// <summary>Connections for tests: fast reconnect so restart tests finish quickly.</summary>
internal static class Buses
{
    public static NatsOptions Options(NatsServer server, Action<NatsOptions>? configure = null)
    {
        var options = new NatsOptions
        {
            ReconnectDelayMin = TimeSpan.FromMilliseconds(50),
            ReconnectDelayMax = TimeSpan.FromMilliseconds(250),
            ConnectTimeout = TimeSpan.FromSeconds(3),
        };
        options.Urls.Add(server.Url);
        configure?.Invoke(options);
        return options;
    }

    public static async Task<NatsEventBus> ConnectAsync(NatsServer server, Action<NatsOptions>? configure = null, MessagingCounters? counters = null)
    {
        var connection = new NatsEventBus(Options(server, configure), counters: counters);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await connection.ConnectAsync(timeout.Token);
        return connection;
    }
}
