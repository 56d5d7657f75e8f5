using System.Text.Json.Nodes;

namespace Beacon.KubeApiServer;

/// <summary>fieldSelector support for metadata.name and metadata.namespace with =, == and !=.</summary>
public sealed class FieldQuery
{
    private readonly List<(string Field, bool Equal, string Value)> _clauses;

    private FieldQuery(List<(string Field, bool Equal, string Value)> clauses)
    {
        _clauses = clauses;
    }

    public static FieldQuery Parse(string? text)
    {
        var clauses = new List<(string, bool, string)>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return new FieldQuery(clauses);
        }

        foreach (var raw in text.Split(','))
        {
            var clause = raw.Trim();
            var notEqual = clause.IndexOf("!=", StringComparison.Ordinal);
            var (field, equal, value) = notEqual > 0
                ? (clause[..notEqual], false, clause[(notEqual + 2)..])
                : clause.IndexOf("==", StringComparison.Ordinal) is var de and > 0
                    ? (clause[..de], true, clause[(de + 2)..])
                    : clause.IndexOf('=', StringComparison.Ordinal) is var e and > 0
                        ? (clause[..e], true, clause[(e + 1)..])
                        : throw ApiError.BadRequest($"Invalid field selector '{text}': '{clause}' is not field=value or field!=value.");
            field = field.Trim();
            if (field is not ("metadata.name" or "metadata.namespace"))
            {
                throw ApiError.BadRequest($"Field selector '{field}' is not supported; use metadata.name or metadata.namespace.");
            }

            clauses.Add((field, equal, value.Trim()));
        }

        return new FieldQuery(clauses);
    }

    public bool Matches(JsonObject item)
    {
        foreach (var (field, equal, value) in _clauses)
        {
            var actual = field == "metadata.name" ? StoredObject.Name(item) : StoredObject.Namespace(item) ?? string.Empty;
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }
}
