using System.ComponentModel;
using Beacon.Hosting.Options;
using Beacon.Messaging.Nats;

namespace Beacon.Allocator;

/// <summary>How the Allocator reaches NATS (section "Nats": <c>--nats-url</c>, <c>--nats-user</c>…). No URL: run without a bus.</summary>
public sealed class AllocatorNatsOptions : IValidatableOptions
{
    [Description("NATS server URLs (nats://host:port or tls://host:port), comma-separated; empty runs without publishing (status only).")]
    public List<string> Url { get; set; } = [];

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

    [Description("Copies of each Beacon stream (BEACON_ALLOCATIONS, BEACON_ANNOUNCEMENTS, BEACON_NODES, BEACON_BGP_PEERS, BEACON_NODEAGENT_CONFIG): 1 on a single nats-server, 3 on a cluster.")]
    public int StreamReplicas { get; set; } = 1;

    [Description("Stream storage: file (state survives a NATS restart) or memory (faster; the Allocator republishes after a NATS restart).")]
    public string StreamStorage { get; set; } = "file";

    public bool Enabled => Url.Count > 0;

    public Beacon.Messaging.Streams.JetStreamOptions ToStreamOptions() => new()
    {
        Replicas = StreamReplicas,
        Storage = string.Equals(StreamStorage, "memory", StringComparison.OrdinalIgnoreCase)
            ? NATS.Client.JetStream.Models.StreamConfigStorage.Memory
            : NATS.Client.JetStream.Models.StreamConfigStorage.File,
    };

    public NatsOptions ToNatsOptions(string clientName)
    {
        var options = new NatsOptions
        {
            User = string.IsNullOrEmpty(User) ? null : User,
            Password = string.IsNullOrEmpty(Password) ? null : Password,
            Token = string.IsNullOrEmpty(Token) ? null : Token,
            TlsCaFile = string.IsNullOrEmpty(TlsCaFile) ? null : TlsCaFile,
            TlsCertFile = string.IsNullOrEmpty(TlsCertFile) ? null : TlsCertFile,
            TlsKeyFile = string.IsNullOrEmpty(TlsKeyFile) ? null : TlsKeyFile,
            CredentialsFile = string.IsNullOrEmpty(CredentialsFile) ? null : CredentialsFile,
            NKeySeedFile = string.IsNullOrEmpty(NKeySeedFile) ? null : NKeySeedFile,
            Name = clientName,
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
        if (!Enabled)
        {
            return;
        }

        if (!string.Equals(StreamStorage, "file", StringComparison.OrdinalIgnoreCase) && !string.Equals(StreamStorage, "memory", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add(nameof(StreamStorage), $"'{StreamStorage}' is not a stream storage", "give file or memory, e.g. --nats-stream-storage memory");
        }

        foreach (var problem in ToStreamOptions().Validate())
        {
            problems.Add(nameof(StreamReplicas), problem, "give 1 for one nats-server, 3 for a three-server cluster");
        }

        foreach (var problem in NatsOptionProblem.Of(ToNatsOptions("validate")))
        {
            // Reported under this component's spelling (--nats-url, --nats-nkey-seed-file, ...), with its own fix.
            problems.Add(problem.Option == "Urls" ? nameof(Url) : problem.Option, problem.Problem, problem.Fix);
        }
    }
}
