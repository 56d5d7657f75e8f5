using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Beacon.Kube.Config;

/// <summary>Builds the HTTP handler for a connection: custom CA trust, client certificate, optional skip-verify.</summary>
public static class KubeHttpHandlerFactory
{
    public static SocketsHttpHandler Create(KubeConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var handler = new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            UseCookies = false,
        };

        if (connection.ClientCertificate is { } clientCertificate)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }

        if (connection.TlsServerName is { Length: > 0 } serverName)
        {
            handler.SslOptions.TargetHost = serverName;
        }

        if (connection.InsecureSkipTlsVerify)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (connection.CertificateAuthorities is { Count: > 0 } authorities)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                IsTrusted(certificate, errors, authorities);
        }

        return handler;
    }

    /// <summary>Trusts a server certificate only if it chains to one of the given roots and its name matched.</summary>
    internal static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection authorities)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
