namespace Beacon.Kube.Library;

/// <summary>Sets the User-Agent, so audit logs (and tests) can tell Beacon's replicas apart.</summary>
public sealed class UserAgentHandler : DelegatingHandler
{
    private readonly string userAgent;

    public UserAgentHandler(string userAgent)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userAgent);
        this.userAgent = userAgent;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.UserAgent.Clear();
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        return base.SendAsync(request, cancellationToken);
    }
}
