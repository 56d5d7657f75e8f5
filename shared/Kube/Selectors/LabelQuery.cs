using Beacon.Kube.Models;

namespace Beacon.Kube.Selectors;

/// <summary>
/// A label selector as a conjunction of requirements. Parses the API's string form (a=b, a==b, a!=b, a in (x,y),
/// a notin (x), a, !a — comma separated) and converts metav1.LabelSelector objects. Empty matches everything.
/// </summary>
public sealed class LabelQuery
{
    public static readonly LabelQuery Everything = new([]);

    public LabelQuery(IReadOnlyList<LabelRequirement> requirements)
    {
        Requirements = requirements;
    }

    public IReadOnlyList<LabelRequirement> Requirements { get; }

    public bool Matches(IReadOnlyDictionary<string, string>? labels) => Requirements.All(r => r.Matches(labels));

    public override string ToString() => string.Join(',', Requirements);

    /// <summary>Parses the string form; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static LabelQuery Parse(string? text)
    {
        if (!TryParse(text, out var query, out var error))
        {
            throw new FormatException(error);
        }

        return query;
    }

    public static bool TryParse(string? text, out LabelQuery query, out string error)
    {
        query = Everything;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var requirements = new List<LabelRequirement>();
        foreach (var clause in SplitClauses(text))
        {
            if (!TryParseClause(clause.Trim(), out var requirement, out error))
            {
                error = $"Invalid label selector '{text}': {error}";
                return false;
            }

            requirements.Add(requirement);
        }

        query = new LabelQuery(requirements);
        return true;
    }

    /// <summary>Converts a metav1.LabelSelector. Null or empty selects everything.</summary>
    public static LabelQuery FromSelector(LabelSelector? selector)
    {
        if (selector is null)
        {
            return Everything;
        }

        var requirements = new List<LabelRequirement>();
        foreach (var (key, value) in selector.MatchLabels ?? [])
        {
            requirements.Add(new LabelRequirement(key, LabelOperator.Equals, [value]));
        }

        foreach (var expression in selector.MatchExpressions ?? [])
        {
            var values = (IReadOnlyList<string>?)expression.Values ?? [];
            var op = expression.Operator switch
            {
                "In" => LabelOperator.In,
                "NotIn" => LabelOperator.NotIn,
                "Exists" => LabelOperator.Exists,
                "DoesNotExist" => LabelOperator.DoesNotExist,
                _ => throw new FormatException($"Label selector operator '{expression.Operator}' for key '{expression.Key}' is not one of In, NotIn, Exists, DoesNotExist."),
            };
            if (op is LabelOperator.In or LabelOperator.NotIn && values.Count == 0)
            {
                throw new FormatException($"Label selector operator {expression.Operator} for key '{expression.Key}' needs at least one value.");
            }

            if (op is LabelOperator.Exists or LabelOperator.DoesNotExist && values.Count > 0)
            {
                throw new FormatException($"Label selector operator {expression.Operator} for key '{expression.Key}' must not have values.");
            }

            requirements.Add(new LabelRequirement(expression.Key, op, values));
        }

        return new LabelQuery(requirements);
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

    private static bool TryParseClause(string clause, out LabelRequirement requirement, out string error)
    {
        requirement = null!;
        error = string.Empty;
        if (clause.Length == 0)
        {
            error = "empty clause";
            return false;
        }

        if (clause[0] == '!')
        {
            var key = clause[1..].Trim();
            return MakeRequirement(key, LabelOperator.DoesNotExist, [], out requirement, out error);
        }

        var notEquals = clause.IndexOf("!=", StringComparison.Ordinal);
        if (notEquals > 0)
        {
            return MakeRequirement(clause[..notEquals].Trim(), LabelOperator.NotEquals, [clause[(notEquals + 2)..].Trim()], out requirement, out error);
        }

        var doubleEquals = clause.IndexOf("==", StringComparison.Ordinal);
        if (doubleEquals > 0)
        {
            return MakeRequirement(clause[..doubleEquals].Trim(), LabelOperator.Equals, [clause[(doubleEquals + 2)..].Trim()], out requirement, out error);
        }

        var equals = clause.IndexOf('=', StringComparison.Ordinal);
        if (equals > 0)
        {
            return MakeRequirement(clause[..equals].Trim(), LabelOperator.Equals, [clause[(equals + 1)..].Trim()], out requirement, out error);
        }

        var open = clause.IndexOf('(', StringComparison.Ordinal);
        if (open > 0)
        {
            if (!clause.EndsWith(')'))
            {
                error = $"'{clause}' has no closing parenthesis";
                return false;
            }

            var head = clause[..open].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (head.Length != 2 || (head[1] != "in" && head[1] != "notin"))
            {
                error = $"'{clause}' is not 'key in (...)' or 'key notin (...)'";
                return false;
            }

            var values = clause[(open + 1)..^1].Split(',').Select(v => v.Trim()).ToArray();
            if (values.Length == 0 || values.Any(v => v.Length == 0))
            {
                error = $"'{clause}' has an empty value in its set";
                return false;
            }

            return MakeRequirement(head[0], head[1] == "in" ? LabelOperator.In : LabelOperator.NotIn, values, out requirement, out error);
        }

        return MakeRequirement(clause, LabelOperator.Exists, [], out requirement, out error);
    }

    private static bool MakeRequirement(string key, LabelOperator op, IReadOnlyList<string> values, out LabelRequirement requirement, out string error)
    {
        requirement = null!;
        error = string.Empty;
        if (!IsValidKey(key))
        {
            error = $"'{key}' is not a valid label key";
            return false;
        }

        foreach (var value in values)
        {
            if (!IsValidValue(value))
            {
                error = $"'{value}' is not a valid label value for key '{key}'";
                return false;
            }
        }

        requirement = new LabelRequirement(key, op, values);
        return true;
    }

    /// <summary>[prefix/]name: name ≤ 63 chars of alphanumerics, '-', '_', '.', starting and ending alphanumeric.</summary>
    public static bool IsValidKey(string key)
    {
        var slash = key.LastIndexOf('/');
        var name = slash >= 0 ? key[(slash + 1)..] : key;
        if (slash >= 0)
        {
            var prefix = key[..slash];
            if (prefix.Length is 0 or > 253 || !prefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.'))
            {
                return false;
            }
        }

        return name.Length > 0 && IsValidValue(name);
    }

    /// <summary>Empty, or ≤ 63 chars of alphanumerics, '-', '_', '.', starting and ending alphanumeric.</summary>
    public static bool IsValidValue(string value) =>
        value.Length == 0 ||
        (value.Length <= 63 && char.IsAsciiLetterOrDigit(value[0]) && char.IsAsciiLetterOrDigit(value[^1]) &&
         value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'));
}
