using System.Collections;
using System.CommandLine;
using Beacon.Messaging.Nats;

namespace Beacon.Ctl;

/// <summary>
/// The NATS options every command takes, named like the services' (--nats-url … and BEACON_NATS_URL …, as the services'
/// --help prints them); the command line wins over the environment.
/// </summary>
public sealed class NatsCommandLine
{
    public const string DefaultUrl = "nats://127.0.0.1:4222";

    public Option<string?> Url { get; } = New("--nats-url", "NATS server URLs (nats://host:port or tls://host:port), comma-separated", "BEACON_NATS_URL");

    public Option<string?> User { get; } = New("--nats-user", "User name for NATS authentication", "BEACON_NATS_USER");

    public Option<string?> Password { get; } = New("--nats-password", "Password for NATS authentication", "BEACON_NATS_PASSWORD");

    public Option<string?> Token { get; } = New("--nats-token", "Token for NATS authentication", "BEACON_NATS_TOKEN");

    public Option<string?> TlsCaFile { get; } = New("--nats-tls-ca-file", "CA certificate (PEM) that signed the NATS server's certificate; enables TLS", "BEACON_NATS_TLS_CA_FILE");

    public Option<string?> TlsCertFile { get; } = New("--nats-tls-cert-file", "Client certificate (PEM) for NATS mutual TLS", "BEACON_NATS_TLS_CERT_FILE");

    public Option<string?> TlsKeyFile { get; } = New("--nats-tls-key-file", "Client key (PEM) for NATS mutual TLS", "BEACON_NATS_TLS_KEY_FILE");

    public Option<string?> CredentialsFile { get; } = New("--nats-credentials-file", "NATS credentials file (.creds: user JWT and NKey seed)", "BEACON_NATS_CREDENTIALS_FILE");

    public Option<string?> NKeySeedFile { get; } = New("--nats-nkey-seed-file", "File holding the NKey seed (SU...) of a NATS user", "BEACON_NATS_NKEY_SEED_FILE");

    public IEnumerable<Option> All => [Url, User, Password, Token, TlsCaFile, TlsCertFile, TlsKeyFile, CredentialsFile, NKeySeedFile];

    /// <summary>The connection options, or a usage failure naming every problem.</summary>
    public NatsOptions Resolve(ParseResult parse, IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(environment);
        string? Value(Option<string?> option, string variable)
        {
            var value = parse.GetValue(option);
            if (string.IsNullOrEmpty(value))
            {
                value = environment[variable] as string;
            }

            return string.IsNullOrEmpty(value) ? null : value;
        }

        var options = new NatsOptions
        {
            User = Value(User, "BEACON_NATS_USER"),
            Password = Value(Password, "BEACON_NATS_PASSWORD"),
            Token = Value(Token, "BEACON_NATS_TOKEN"),
            TlsCaFile = Value(TlsCaFile, "BEACON_NATS_TLS_CA_FILE"),
            TlsCertFile = Value(TlsCertFile, "BEACON_NATS_TLS_CERT_FILE"),
            TlsKeyFile = Value(TlsKeyFile, "BEACON_NATS_TLS_KEY_FILE"),
            CredentialsFile = Value(CredentialsFile, "BEACON_NATS_CREDENTIALS_FILE"),
            NKeySeedFile = Value(NKeySeedFile, "BEACON_NATS_NKEY_SEED_FILE"),
            Name = "beaconctl",
            ConnectTimeout = TimeSpan.FromSeconds(2),
        };
        foreach (var url in (Value(Url, "BEACON_NATS_URL") ?? DefaultUrl).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            options.Urls.Add(url);
        }

        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new CtlFailure(CtlExitCodes.Usage, string.Join(" ", problems).Replace("Nats:Urls", "--nats-url", StringComparison.Ordinal));
        }

        return options;
    }

    private static Option<string?> New(string name, string description, string variable) =>
        new(name) { Description = $"{description} [env: {variable}]", Recursive = true };
}
