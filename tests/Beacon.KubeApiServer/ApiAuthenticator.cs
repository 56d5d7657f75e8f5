using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;

namespace Beacon.KubeApiServer;

/// <summary>Optional authentication: a bearer token from the accepted set, or a client certificate from the given CA.</summary>
internal sealed class ApiAuthenticator
{
    private readonly X509Certificate2? _clientAuthority;
    private volatile string[]? _tokens;

    public ApiAuthenticator(KubeApiServerOptions options)
    {
        _tokens = options.BearerTokens?.ToArray();
        _clientAuthority = options.ClientCertificateAuthority;
    }

    public bool Required => _tokens is not null || _clientAuthority is not null;

    public void SetTokens(IEnumerable<string> tokens) => _tokens = tokens.ToArray();

    public bool IsAuthenticated(HttpContext context)
    {
        if (!Required)
        {
            return true;
        }

        if (_tokens is { } tokens && context.Request.Headers.Authorization.ToString() is { } header
            && header.StartsWith("Bearer ", StringComparison.Ordinal) && tokens.Contains(header["Bearer ".Length..], StringComparer.Ordinal))
        {
            return true;
        }

        return _clientAuthority is not null && context.Connection.ClientCertificate is { } certificate && IsIssuedByAuthority(certificate);
    }

    public bool IsIssuedByAuthority(X509Certificate2 certificate)
    {
        if (_clientAuthority is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_clientAuthority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
