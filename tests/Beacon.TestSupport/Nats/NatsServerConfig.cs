using System.Globalization;
using System.Text;

namespace Beacon.TestSupport.Nats;

/// <summary>What the generated nats-server.conf contains besides the loopback listen address.</summary>
public sealed record NatsServerConfig
{
    /// <summary>Server max_payload in bytes; null keeps the server default (1 MiB).</summary>
    public int? MaxPayload { get; init; }

    /// <summary>Raw <c>authorization { ... }</c> block body (users, token, permissions), or null for none.</summary>
    public string? Authorization { get; init; }

    public NatsServerTls? Tls { get; init; }

    /// <summary>Any further config lines, appended verbatim (e.g. variables and an authorization block).</summary>
    public string? Extra { get; init; }

    /// <summary>Environment of the server process (nats-server resolves <c>$NAME</c> in the config from it).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>JetStream on (Beacon keeps its state in streams); off for tests of plain core NATS behaviour.</summary>
    public bool JetStream { get; init; } = true;

    public string Render(int port, string? jetStreamStoreDir = null)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"listen: 127.0.0.1:{port}");
        text.AppendLine("http_port: -1");
        if (MaxPayload is { } maxPayload)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"max_payload: {maxPayload}");
        }

        if (Authorization is not null)
        {
            text.AppendLine("authorization {").AppendLine(Authorization).AppendLine("}");
        }

        if (Tls is not null)
        {
            text.AppendLine("tls {")
                .AppendLine(CultureInfo.InvariantCulture, $"  cert_file: \"{Tls.CertFile}\"")
                .AppendLine(CultureInfo.InvariantCulture, $"  key_file: \"{Tls.KeyFile}\"");
            if (Tls.CaFile is not null)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  ca_file: \"{Tls.CaFile}\"");
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"  verify: {(Tls.VerifyClients ? "true" : "false")}")
                .AppendLine("  timeout: 2")
                .AppendLine("}");
        }

        if (JetStream && jetStreamStoreDir is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"jetstream {{ store_dir: \"{jetStreamStoreDir}\" }}");
        }

        if (Extra is not null)
        {
            text.AppendLine(Extra);
        }

        return text.ToString();
    }
}

/// <summary>Server-side TLS: certificate, key, and (for client certificates) the CA that signs clients.</summary>
public sealed record NatsServerTls(string CertFile, string KeyFile, string? CaFile = null, bool VerifyClients = false);
