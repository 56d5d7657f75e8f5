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

    public bool Enabled => Url.Count > 0;

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

        foreach (var problem in ToNatsOptions("validate").Validate())
        {
            problems.Add(nameof(Url), problem, "give nats://host:port, e.g. --nats-url nats://beacon-nats:4222");
        }
    }
}
