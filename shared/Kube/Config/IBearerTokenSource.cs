namespace Beacon.Kube.Config;

/// <summary>Supplies the bearer token for each request (may change over time, e.g. projected service account tokens).</summary>
public interface IBearerTokenSource
{
    string? GetToken();
}

public sealed class StaticBearerToken(string token) : IBearerTokenSource
{
    public string? GetToken() => token;
}
