namespace Beacon.Kube.Tests;

/// <summary>An HTTP handler that can be switched into "network partition" mode, failing every request.</summary>
internal sealed class BreakableHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    public volatile bool Broken;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Broken ? throw new HttpRequestException("simulated network partition") : base.SendAsync(request, cancellationToken);
}
