using System.Collections.Concurrent;

namespace Beacon.KubeApiServer;

/// <summary>Counts requests by verb and resource, e.g. ("update", "services/status"), for "API requests per service".</summary>
public sealed class RequestCounter
{
    private readonly ConcurrentDictionary<(string Verb, string Resource), long> _counts = new();

    public long Total => _counts.Values.Sum();

    public long Count(string verb, string resource) => _counts.GetValueOrDefault((verb, resource));

    /// <summary>All requests with this verb (any resource).</summary>
    public long CountVerb(string verb) => _counts.Where(p => p.Key.Verb == verb).Sum(p => p.Value);

    public IReadOnlyDictionary<(string Verb, string Resource), long> Snapshot() => new Dictionary<(string, string), long>(_counts);

    public void Reset() => _counts.Clear();

    internal void Add(string verb, string resource) => _counts.AddOrUpdate((verb, resource), 1, (_, n) => n + 1);
}
