using System.Net;

namespace Beacon.Kube.Library;

/// <summary>
/// Retries a request the API server throttled, as client-go does: an answer of 429, or 5xx with a Retry-After header,
/// is retried after the delay the server asks for (API Priority and Fairness answers 429 with Retry-After), up to
/// <see cref="MaxRetries"/> times; then the last answer goes to the caller. KubernetesClient has no such retry.
/// Placed outside the client-side rate limit, so every retry takes a token again.
/// </summary>
public sealed class RetryAfterHandler : DelegatingHandler
{
    /// <summary>client-go's limit (rest.Request maxRetries).</summary>
    public const int DefaultMaxRetries = 10;

    /// <summary>A server asking for longer than this is waited for this long (a minute is already far beyond APF's 1 s).</summary>
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(60);

    private readonly TimeProvider time;

    public RetryAfterHandler(int maxRetries = DefaultMaxRetries, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        MaxRetries = maxRetries;
        this.time = time ?? TimeProvider.System;
    }

    public int MaxRetries { get; }

    /// <summary>Requests retried so far (for tests and diagnostics).</summary>
    public long Retries => Interlocked.Read(ref retries);

    private long retries;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        for (var attempt = 0; ; attempt++)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (attempt >= MaxRetries || WaitFor(response) is not { } wait)
            {
                return response;
            }

            response.Dispose();
            Interlocked.Increment(ref retries);
            await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>How long the server asked us to wait before retrying, or null when the answer is not to be retried.</summary>
    private TimeSpan? WaitFor(HttpResponseMessage response)
    {
        var code = (int)response.StatusCode;
        var retryAfter = response.Headers.RetryAfter;
        // client-go retries only when told when: without Retry-After the answer goes to the caller.
        if (retryAfter is null || (code != (int)HttpStatusCode.TooManyRequests && code is < 500 or >= 600))
        {
            return null;
        }

        var wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - time.GetUtcNow() : TimeSpan.Zero);
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > LongestWait ? LongestWait : wait;
    }
}
