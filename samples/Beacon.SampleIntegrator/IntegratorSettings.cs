using Beacon.Messaging.Nats;

namespace Beacon.SampleIntegrator;

/// <summary>Connection settings from arguments (<c>--url</c>, <c>--user</c>, ...) or BEACON_NATS_* environment variables.</summary>
internal sealed record IntegratorSettings(NatsOptions Nats, int? Count, bool Announcements)
{
    public const string Usage =
        "Usage: Beacon.SampleIntegrator [--url nats://host:4222] [--user U --password P | --token T] [--ca ca.pem]\n" +
        "                               [--cert client.pem --key client-key.pem] [--creds user.creds | --nkey user.nk]\n" +
        "                               [--announcements] [--count N]\n" +
        "Environment: BEACON_NATS_URL, BEACON_NATS_USER, BEACON_NATS_PASSWORD, BEACON_NATS_TOKEN, BEACON_NATS_CA, BEACON_NATS_CREDS, BEACON_NATS_NKEY.";

    public static IntegratorSettings Parse(string[] args)
    {
        string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var announcements = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--announcements")
            {
                announcements = true;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                values[args[i][2..]] = args[++i];
            }
            else
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'");
            }
        }

        string? Get(string key, string env) => values.TryGetValue(key, out var value) ? value : Env(env);
        var options = new NatsOptions
        {
            User = Get("user", "BEACON_NATS_USER"),
            Password = Get("password", "BEACON_NATS_PASSWORD"),
            Token = Get("token", "BEACON_NATS_TOKEN"),
            TlsCaFile = Get("ca", "BEACON_NATS_CA"),
            TlsCertFile = Get("cert", "BEACON_NATS_CERT"),
            TlsKeyFile = Get("key", "BEACON_NATS_KEY"),
            CredentialsFile = Get("creds", "BEACON_NATS_CREDS"),
            NKeySeedFile = Get("nkey", "BEACON_NATS_NKEY"),
            Name = "beacon-sample-integrator",
        };
        foreach (var url in (Get("url", "BEACON_NATS_URL") ?? "nats://127.0.0.1:4222").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            options.Urls.Add(url);
        }
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems));
        }

        int? count = values.TryGetValue("count", out var text) ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : null;
        return new IntegratorSettings(options, count, announcements);
    }
}
