using System.Text.RegularExpressions;
using Beacon.TestSupport.Nats;
using NATS.NKeys;

namespace Beacon.Messaging.Tests.Security;

/// <summary>
/// A nats-server running the shipped compose/nats/authorization.conf with every user turned into an NKey user: each
/// <c>user: X / password: $X_PASSWORD</c> pair becomes <c>nkey: U...</c>, the public key of a pair generated here, so
/// the permissions are exactly the shipped ones. Each user's seed is in a file, as an operator would mount it.
/// </summary>
public sealed partial class NKeyUsersServer : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("beacon-nkeys-").FullName;
    private readonly Dictionary<string, KeyPair> _keys = new(StringComparer.Ordinal);
    private NatsServer? _server;

    public NatsServer Server => _server!;

    /// <summary>The file holding <paramref name="user"/>'s NKey seed (SU...).</summary>
    public string SeedFile(string user) => Path.Combine(_directory, user + ".nk");

    public string PublicKey(string user) => _keys[user].GetPublicKey();

    public async Task InitializeAsync()
    {
        var shipped = await File.ReadAllTextAsync(RepositoryFiles.Path("compose/nats/authorization.conf"));
        var authorization = UserAndPassword().Replace(shipped, match =>
        {
            var user = match.Groups["user"].Value;
            var pair = KeyPair.CreatePair(PrefixByte.User);
            _keys[user] = pair;
            File.WriteAllText(SeedFile(user), pair.GetSeed() + "\n");
            return match.Groups["indent"].Value + "nkey: " + pair.GetPublicKey();
        });
        _keys.Keys.Should().Contain(["allocator", "node-a", "node-b", "beaconctl", "integrator"], "every shipped user becomes an NKey user");
        authorization.Should().NotContain("password:");
        _server = await NatsServer.StartAsync(new NatsServerConfig { Extra = authorization });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [GeneratedRegex(@"(?<indent>[ \t]*)user: (?<user>[a-z0-9-]+)\s*\n[ \t]*password: \$[A-Z0-9_]+")]
    private static partial Regex UserAndPassword();
}
