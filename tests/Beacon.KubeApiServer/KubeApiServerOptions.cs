using System.Security.Cryptography.X509Certificates;

namespace Beacon.KubeApiServer;

public sealed class KubeApiServerOptions
{
    /// <summary>0 picks a free port; the actual one is in <see cref="KubeApiTestServer.BaseAddress"/>.</summary>
    public int Port { get; set; }

    /// <summary>How often open watches (that asked for them) get a BOOKMARK.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Writes retained for watch replay; watches from older versions get 410 Gone.</summary>
    public int HistoryLimit { get; set; } = 100_000;

    /// <summary>When set, requests need "Authorization: Bearer" with one of these tokens (see <see cref="KubeApiTestServer.SetAcceptedTokens"/>).</summary>
    public IReadOnlyList<string>? BearerTokens { get; set; }

    /// <summary>Serve HTTPS with this certificate (must have a private key).</summary>
    public X509Certificate2? ServerCertificate { get; set; }

    /// <summary>With HTTPS: require a client certificate issued by this CA (instead of, or as well as, a token).</summary>
    public X509Certificate2? ClientCertificateAuthority { get; set; }

    public TimeProvider Time { get; set; } = TimeProvider.System;
}
