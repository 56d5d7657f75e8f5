namespace Beacon.KubeApiServer;

/// <summary>
/// A parsed labelSelector query parameter (=, ==, !=, in, notin, key, !key), as the API server's labels.Parse.
/// The server's own parser, so it stays a second opinion on what clients send.
/// </summary>
public sealed class LabelSelectorQuery
{
    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelectorQuery(IReadOnlyList<Requirement> requirements)
    {
        _requirements = requirements;
    }

    public static LabelSelectorQuery Everything { get; } = new([]);

    public bool IsEverything => _requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(r => r.Matches(labels));

    /// <summary>Parses the query parameter; a malformed selector is a 400 Bad Request, as from the real server.</summary>
    public static LabelSelectorQuery Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<Requirement>();
        foreach (var clause in SplitClauses(text))
        {
            requirements.Add(ParseClause(clause.Trim()) ?? throw ApiError.BadRequest($"unable to parse requirement: invalid label selector '{text}' at '{clause.Trim()}'"));
        }

        return new LabelSelectorQuery(requirements);
    }

    private static IEnumerable<string> SplitClauses(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    private static Requirement? ParseClause(string clause)
    {
        if (clause.Length == 0)
        {
            return null;
        }

        if (clause[0] == '!')
        {
            return Make(clause[1..].Trim(), Operator.DoesNotExist, []);
        }

        foreach (var (token, op) in new[] { ("!=", Operator.NotEquals), ("==", Operator.Equals), ("=", Operator.Equals) })
        {
            var at = clause.IndexOf(token, StringComparison.Ordinal);
            if (at > 0)
            {
                return Make(clause[..at].Trim(), op, [clause[(at + token.Length)..].Trim()]);
            }
        }

        var open = clause.IndexOf('(', StringComparison.Ordinal);
        if (open > 0)
        {
            var head = clause[..open].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (!clause.EndsWith(')') || head.Length != 2 || head[1] is not ("in" or "notin"))
            {
                return null;
            }

            var values = clause[(open + 1)..^1].Split(',').Select(v => v.Trim()).ToArray();
            return values.Any(v => v.Length == 0) ? null : Make(head[0], head[1] == "in" ? Operator.In : Operator.NotIn, values);
        }

        return Make(clause, Operator.Exists, []);
    }

    private static Requirement? Make(string key, Operator op, string[] values) =>
        ObjectNameRules.IsQualifiedName(key) && values.All(ObjectNameRules.IsLabelValue) ? new Requirement(key, op, values) : null;

    private enum Operator
    {
        Equals,
        NotEquals,
        In,
        NotIn,
        Exists,
        DoesNotExist,
    }

    private sealed record Requirement(string Key, Operator Op, string[] Values)
    {
        public bool Matches(IReadOnlyDictionary<string, string> labels)
        {
            var present = labels.TryGetValue(Key, out var value);
            return Op switch
            {
                Operator.Exists => present,
                Operator.DoesNotExist => !present,
                Operator.Equals or Operator.In => present && Values.Contains(value!, StringComparer.Ordinal),
                // As in Kubernetes: != and notin also match objects that lack the key.
                _ => !present || !Values.Contains(value!, StringComparer.Ordinal),
            };
        }
    }
}
