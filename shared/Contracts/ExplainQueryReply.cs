namespace Beacon.Contracts;

/// <summary>The leading Allocator's answer on <see cref="Subjects.QueryExplain"/>.</summary>
/// <param name="Found">The Service exists (in the API or the manifest directory).</param>
/// <param name="Managed">It is a LoadBalancer of a class this Allocator serves.</param>
/// <param name="State">"Allocated", a condition reason such as "PoolExhausted", or "NotManaged"/"NotFound".</param>
/// <param name="Explanation">Plain sentences, most important first: what holds and why.</param>
public sealed record ExplainQueryReply(
    ServiceKey Service,
    bool Found,
    bool Managed,
    string? Group,
    IReadOnlyList<string> Addresses,
    string State,
    string? Message,
    IReadOnlyList<string> AnnouncingNodes,
    IReadOnlyList<string> Explanation);
