namespace Beacon.Kube.Client;

/// <summary>Client behaviour: rate limit, timeouts, identity.</summary>
public sealed class KubeClientOptions
{
    /// <summary>Sustained requests per second (client-side token bucket). Watches count once, when opened.</summary>
    public double Qps { get; set; } = 50;

    /// <summary>Requests allowed in a burst above Qps.</summary>
    public int Burst { get; set; } = 100;

    /// <summary>Timeout of each non-watch request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public string UserAgent { get; set; } = "beacon";

    /// <summary>How often a request answered 429 Too Many Requests is retried (after Retry-After) before failing.</summary>
    public int MaxThrottleRetries { get; set; } = 5;

    /// <summary>Upper bound on a single Retry-After wait.</summary>
    public TimeSpan MaxThrottleWait { get; set; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(Qps > 0) || double.IsInfinity(Qps))
        {
            errors.Add($"Qps must be a positive finite number of requests per second (got {Qps}).");
        }

        if (Burst < 1)
        {
            errors.Add($"Burst must be at least 1 (got {Burst}).");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add($"RequestTimeout must be positive (got {RequestTimeout}).");
        }

        if (MaxThrottleRetries < 0)
        {
            errors.Add($"MaxThrottleRetries must not be negative (got {MaxThrottleRetries}).");
        }

        if (MaxThrottleWait < TimeSpan.Zero)
        {
            errors.Add($"MaxThrottleWait must not be negative (got {MaxThrottleWait}).");
        }

        if (string.IsNullOrWhiteSpace(UserAgent))
        {
            errors.Add("UserAgent must not be empty.");
        }

        return errors;
    }

    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Kubernetes client options: " + string.Join(" ", errors));
        }
    }
}
