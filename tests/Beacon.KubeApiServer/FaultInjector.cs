namespace Beacon.KubeApiServer;

/// <summary>Faults tests can switch on: failing requests, added latency, dropped watches, expired versions.</summary>
public sealed class FaultInjector
{
    private readonly ObjectStore _store;
    private readonly Lock _gate = new();
    private readonly List<FailureRule> _rules = [];

    internal FaultInjector(ObjectStore store)
    {
        _store = store;
    }

    /// <summary>Delay added before every request is handled.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>The next <paramref name="count"/> requests (whose path contains <paramref name="pathContains"/>, if given) fail with <paramref name="statusCode"/>.</summary>
    public void FailNext(int count, string? pathContains = null, int statusCode = 500)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (_gate)
        {
            _rules.Add(new FailureRule(count, pathContains, statusCode));
        }
    }

    /// <summary>Failures still pending.</summary>
    public long PendingFailures
    {
        get
        {
            lock (_gate)
            {
                return _rules.Sum(r => (long)r.Remaining);
            }
        }
    }

    public void ClearFailures()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    /// <summary>Abruptly closes every open watch connection; returns how many it closed (none is counted twice).</summary>
    public int DropWatches() => _store.DropWatches();

    /// <summary>Forgets history so that every resourceVersion older than now answers 410 Gone.</summary>
    public void ExpireResourceVersions() => _store.Compact();

    internal int? TakeFailure(string pathAndQuery)
    {
        lock (_gate)
        {
            var rule = _rules.FirstOrDefault(r => r.PathContains is null || pathAndQuery.Contains(r.PathContains, StringComparison.Ordinal));
            if (rule is null)
            {
                return null;
            }

            rule.Remaining--;
            if (rule.Remaining == 0)
            {
                _rules.Remove(rule);
            }

            return rule.StatusCode;
        }
    }

    private sealed class FailureRule(int remaining, string? pathContains, int statusCode)
    {
        public int Remaining { get; set; } = remaining;

        public string? PathContains { get; } = pathContains;

        public int StatusCode { get; } = statusCode;
    }
}
