using Beacon.TestSupport.Nats;

namespace Beacon.Messaging.Tests.Security;

/// <summary>A nats-server running the shipped compose/nats/authorization.conf, with known passwords.</summary>
public sealed class ComposePermissionsServer : IAsyncLifetime
{
    public static readonly IReadOnlyDictionary<string, string> Passwords = new Dictionary<string, string>
    {
        ["allocator"] = "allocator-secret",
        ["node-a"] = "node-a-secret",
        ["node-b"] = "node-b-secret",
        ["node-c"] = "node-c-secret",
        ["beaconctl"] = "beaconctl-secret",
        ["integrator"] = "integrator-secret",
    };

    private NatsServer? _server;

    public NatsServer Server => _server!;

    public async Task InitializeAsync()
    {
        var environment = Passwords.ToDictionary(p => p.Key.ToUpperInvariant().Replace('-', '_') + "_PASSWORD", p => p.Value);
        _server = await NatsServer.StartAsync(new NatsServerConfig
        {
            Extra = await File.ReadAllTextAsync(RepositoryFiles.Path("compose/nats/authorization.conf")),
            Environment = environment,
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
