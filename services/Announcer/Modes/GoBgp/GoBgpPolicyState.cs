using System.Text.Json;

namespace Beacon.Announcer.Modes.GoBgp;

/// <summary>
/// Beacon's policy objects in gobgpd (names starting <see cref="GoBgpExportPlan.Prefix"/>): the export policies assigned
/// to the global RIB, and the policies, statements, prefix sets and neighbour sets defined.
/// </summary>
public sealed record GoBgpPolicyState(
    IReadOnlyList<string> Assigned,
    IReadOnlyList<string> Policies,
    IReadOnlyList<string> Statements,
    IReadOnlyList<string> PrefixSets,
    IReadOnlyList<string> NeighborSets)
{
    public static GoBgpPolicyState Empty { get; } = new([], [], [], [], []);

    /// <summary>Reads the <c>-j</c> output of <c>gobgp global policy export</c>, <c>policy</c>, <c>policy statement</c>,
    /// <c>policy prefix</c> and <c>policy neighbor</c>. Pure.</summary>
    public static GoBgpPolicyState Parse(string assigned, string policies, string statements, string prefixSets, string neighborSets)
    {
        using var assignment = Document(assigned);
        var names = assignment is not null && assignment.RootElement.ValueKind == JsonValueKind.Object
            && assignment.RootElement.TryGetProperty("policies", out var list) ? Names(list) : [];
        return new GoBgpPolicyState(names, NamesOf(policies), NamesOf(statements), NamesOf(prefixSets), NamesOf(neighborSets));
    }

    private static List<string> NamesOf(string json)
    {
        using var document = Document(json);
        return document is null ? [] : Names(document.RootElement);
    }

    private static List<string> Names(JsonElement array) =>
        array.ValueKind != JsonValueKind.Array
            ? []
            : [.. array.EnumerateArray()
                .Select(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null)
                .OfType<string>()
                .Where(n => n.StartsWith(GoBgpExportPlan.Prefix, StringComparison.Ordinal))
                .Distinct(StringComparer.Ordinal)];

    private static JsonDocument? Document(string json) =>
        string.IsNullOrWhiteSpace(json) ? null : JsonDocument.Parse(json);
}
