using System.Collections.Concurrent;

namespace Beacon.KubeApiServer;

/// <summary>
/// Counts requests by verb and resource, e.g. ("update", "services/status"), for "API requests per service", and by
/// User-Agent, so tests with several clients (e.g. two Allocators with different user agents) can tell who wrote.
/// </summary>
public sealed class RequestCounter
{
    private static readonly string[] WriteVerbs = ["create", "update", "patch", "delete"];
    private readonly ConcurrentDictionary<(string Verb, string Resource), long> _counts = new();
    private readonly ConcurrentDictionary<(string Agent, string Verb, string Resource), long> _byAgent = new();

    public long Total => _counts.Values.Sum();

    public long Count(string verb, string resource) => _counts.GetValueOrDefault((verb, resource));

    /// <summary>All requests with this verb (any resource).</summary>
    public long CountVerb(string verb) => _counts.Where(p => p.Key.Verb == verb).Sum(p => p.Value);

    /// <summary>Requests whose User-Agent contains the given text, optionally of one verb.</summary>
    public long CountFrom(string userAgentContains, string? verb = null) =>
        _byAgent.Where(p => p.Key.Agent.Contains(userAgentContains, StringComparison.Ordinal) && (verb is null || p.Key.Verb == verb)).Sum(p => p.Value);

    /// <summary>create/update/patch/delete requests whose User-Agent contains the given text.</summary>
    public long WritesFrom(string userAgentContains) => WriteVerbs.Sum(verb => CountFrom(userAgentContains, verb));

    public IReadOnlyDictionary<(string Verb, string Resource), long> Snapshot() => new Dictionary<(string, string), long>(_counts);

    public void Reset()
    {
        _counts.Clear();
        _byAgent.Clear();
    }

    internal void Add(string verb, string resource, string userAgent)
    {
        _counts.AddOrUpdate((verb, resource), 1, (_, n) => n + 1);
        _byAgent.AddOrUpdate((userAgent, verb, resource), 1, (_, n) => n + 1);
    }
}
