using System.ComponentModel;
using Beacon.Hosting.Options;
using Beacon.Messaging.Nats;

namespace Beacon.NodeAgent;

/// <summary>How the agent reaches NATS (section "Nats": <c>--nats-url</c>, <c>--nats-token</c>…).</summary>
public sealed class NodeAgentNatsOptions : IValidatableOptions
{
    [Description("NATS server URLs (nats://host:port or tls://host:port), comma-separated.")]
    public List<string> Url { get; set; } = ["nats://127.0.0.1:4222"];

    [Description("User name for NATS authentication.")]
    public string? User { get; set; }

    [Description("Password for NATS authentication.")]
    public string? Password { get; set; }

    [Description("Token for NATS authentication.")]
    public string? Token { get; set; }

    [Description("NATS credentials file (.creds: user JWT and NKey seed) for operator/account-based authentication.")]
    public string? CredentialsFile { get; set; }

    [Description("File holding the NKey seed (SU...) of a user the NATS server lists by public NKey.")]
    public string? NKeySeedFile { get; set; }

    [Description("CA certificate (PEM) that signed the NATS server's certificate; enables TLS.")]
    public string? TlsCaFile { get; set; }

    [Description("Client certificate (PEM) for NATS mutual TLS.")]
    public string? TlsCertFile { get; set; }

    [Description("Client key (PEM) for NATS mutual TLS.")]
    public string? TlsKeyFile { get; set; }

    public NatsOptions ToNatsOptions(string clientName)
    {
        var options = new NatsOptions
        {
            User = User,
            Password = Password,
            Token = Token,
            TlsCaFile = TlsCaFile,
            TlsCertFile = TlsCertFile,
            TlsKeyFile = TlsKeyFile,
            CredentialsFile = CredentialsFile,
            NKeySeedFile = NKeySeedFile,
            Name = clientName,
            // A node agent must notice a dead server quickly to freeze its view; reconnect fast once it is back.
            ReconnectDelayMax = TimeSpan.FromSeconds(1),
            PingInterval = TimeSpan.FromSeconds(2),
        };
        foreach (var url in Url)
        {
            options.Urls.Add(url);
        }

        return options;
    }

    public void Validate(OptionProblems problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        foreach (var problem in NatsOptionProblem.Of(ToNatsOptions("validate")))
        {
            // Reported under this component's spelling (--nats-url, --nats-nkey-seed-file, ...), with its own fix.
            problems.Add(problem.Option == "Urls" ? nameof(Url) : problem.Option, problem.Problem, problem.Fix);
        }
    }
}
