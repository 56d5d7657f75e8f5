using Xunit;

namespace Beacon.TestSupport.Nats;

/// <summary>xunit class fixture: one plain nats-server (no auth, no TLS) shared by a test class.</summary>
public sealed class NatsServerFixture : IAsyncLifetime
{
    private NatsServer? _server;

    public NatsServer Server => _server ?? throw new InvalidOperationException("fixture not initialised");

    public string Url => Server.Url;

    public async Task InitializeAsync() => _server = await NatsServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
