using Beacon.Kube.Client;

namespace Beacon.Kube.Library;

/// <summary>
/// The client-side rate limit in front of the official client's HTTP pipeline: every request (list, watch, write)
/// takes a token from the bucket first. The library has no rate limiter of its own.
/// </summary>
public sealed class RateLimitingHandler : DelegatingHandler
{
    private readonly TokenBucket bucket;

    public RateLimitingHandler(TokenBucket bucket)
    {
        this.bucket = bucket ?? throw new ArgumentNullException(nameof(bucket));
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await bucket.WaitAsync(cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
