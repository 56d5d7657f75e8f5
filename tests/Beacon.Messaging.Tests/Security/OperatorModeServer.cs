using System.Text.Json.Nodes;
using Beacon.TestSupport.Nats;
using NATS.NKeys;

namespace Beacon.Messaging.Tests.Security;

/// <summary>
/// A nats-server in operator mode (decentralised JWT auth) with the account JWTs preloaded (<c>resolver: MEMORY</c>):
/// an operator, a system account, a Beacon account with JetStream, and a <c>.creds</c> file per user. The allocator may
/// publish allocations and use the JetStream API; node-a publishes only its own node subjects and reads the streams.
/// </summary>
public sealed class OperatorModeServer : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("beacon-operator-").FullName;
    private NatsServer? _server;

    public NatsServer Server => _server!;

    public string CredentialsFile(string user) => Path.Combine(_directory, user + ".creds");

    public async Task InitializeAsync()
    {
        var operatorKey = KeyPair.CreatePair(PrefixByte.Operator);
        var system = KeyPair.CreatePair(PrefixByte.Account);
        var beacon = KeyPair.CreatePair(PrefixByte.Account);
        var operatorJwt = NatsJwt.Issue(operatorKey, operatorKey.GetPublicKey(), "beacon-test", new JsonObject { ["type"] = "operator", ["version"] = 2 });
        var systemJwt = NatsJwt.Issue(operatorKey, system.GetPublicKey(), "SYS", Account(jetStream: false));
        var beaconJwt = NatsJwt.Issue(operatorKey, beacon.GetPublicKey(), "beacon", Account(jetStream: true));

        await WriteUserAsync(beacon, "allocator", ["beacon.v1.allocations.>", "$JS.API.>"]);
        // Signed by an account the server does not know: must be refused.
        await WriteUserAsync(KeyPair.CreatePair(PrefixByte.Account), "stranger", ["beacon.v1.allocations.>"]);
        await WriteUserAsync(beacon, "node-a", ["beacon.v1.nodes.node-a.>", "beacon.v1.announcements.node-a", "$JS.API.CONSUMER.>", "$JS.API.STREAM.INFO.>"]);

        _server = await NatsServer.StartAsync(new NatsServerConfig
        {
            Extra = $$"""
                operator: {{operatorJwt}}
                system_account: {{system.GetPublicKey()}}
                resolver: MEMORY
                resolver_preload: {
                  {{system.GetPublicKey()}}: {{systemJwt}}
                  {{beacon.GetPublicKey()}}: {{beaconJwt}}
                }
                """,
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private static JsonObject Account(bool jetStream)
    {
        var limits = new JsonObject
        {
            ["subs"] = -1, ["data"] = -1, ["payload"] = -1, ["imports"] = -1, ["exports"] = -1, ["wildcards"] = true, ["conn"] = -1, ["leaf"] = -1,
        };
        if (jetStream)
        {
            limits["mem_storage"] = -1;
            limits["disk_storage"] = -1;
            limits["streams"] = -1;
            limits["consumer"] = -1;
        }

        return new JsonObject { ["limits"] = limits, ["type"] = "account", ["version"] = 2 };
    }

    private async Task WriteUserAsync(KeyPair account, string name, string[] publish)
    {
        var user = KeyPair.CreatePair(PrefixByte.User);
        var claims = new JsonObject
        {
            ["pub"] = new JsonObject { ["allow"] = new JsonArray([.. publish.Append("_INBOX.>").Select(s => JsonValue.Create(s))]) },
            ["sub"] = new JsonObject { ["allow"] = new JsonArray(JsonValue.Create("beacon.v1.>"), JsonValue.Create("_INBOX.>")) },
            ["subs"] = -1,
            ["data"] = -1,
            ["payload"] = -1,
            ["type"] = "user",
            ["version"] = 2,
        };
        var jwt = NatsJwt.Issue(account, user.GetPublicKey(), name, claims);
        await File.WriteAllTextAsync(CredentialsFile(name), NatsJwt.Credentials(jwt, user.GetSeed()));
    }
}
