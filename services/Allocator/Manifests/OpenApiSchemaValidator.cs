using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Beacon.Allocator.Manifests;

/// <summary>
/// Validates JSON values against the subset of a CRD's openAPIV3Schema Beacon uses, the way the API server does with
/// strict field validation: type, required, properties, items, pattern, enum, minimum/maximum, minItems/maxItems,
/// minLength/maxLength, additionalProperties, oneOf, format date-time and x-kubernetes-preserve-unknown-fields.
/// Fields not declared in <c>properties</c> are reported as unknown (they would be silently pruned otherwise,
/// which hides typos). <see cref="SupportedKeywords"/> lists what is understood so a schema using anything else
/// can be rejected by a test instead of being half-checked.
/// </summary>
internal static class OpenApiSchemaValidator
{
    public static IReadOnlySet<string> SupportedKeywords { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "type", "required", "properties", "items", "pattern", "enum", "minimum", "maximum", "minItems", "maxItems",
        "minLength", "maxLength", "additionalProperties", "oneOf", "format", "x-kubernetes-preserve-unknown-fields",
        "description", "default",
    };

    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    public static IReadOnlyList<SchemaViolation> Validate(JsonNode schema, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var violations = new List<SchemaViolation>();
        Check(schema.AsObject(), value, string.Empty, violations);
        return violations;
    }

    /// <summary>Keywords used anywhere in <paramref name="schema"/> that this validator does not implement.</summary>
    public static IReadOnlyList<string> UnsupportedKeywords(JsonNode schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        Walk(schema.AsObject(), found);
        return found.ToList();

        static void Walk(JsonObject node, SortedSet<string> found)
        {
            foreach (var (key, child) in node)
            {
                if (!SupportedKeywords.Contains(key))
                {
                    found.Add(key);
                }

                switch (key)
                {
                    case "properties" when child is JsonObject props:
                        foreach (var (_, p) in props)
                        {
                            if (p is JsonObject po)
                            {
                                Walk(po, found);
                            }
                        }

                        break;
                    case "items" or "additionalProperties" when child is JsonObject sub:
                        Walk(sub, found);
                        break;
                    case "oneOf" when child is JsonArray alternatives:
                        foreach (var a in alternatives)
                        {
                            if (a is JsonObject ao)
                            {
                                Walk(ao, found);
                            }
                        }

                        break;
                }
            }
        }
    }

    private static void Check(JsonObject schema, JsonNode? value, string path, List<SchemaViolation> violations)
    {
        if (value is null)
        {
            // Kubernetes drops nulls for fields that are not nullable; a null is never a violation by itself.
            return;
        }

        var type = Text(schema, "type");
        if (type is not null && !HasType(value, type))
        {
            violations.Add(new SchemaViolation(path, $"must be {Article(type)} {type}, got {Describe(value)}"));
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            violations.Add(new SchemaViolation(path,
                $"{Describe(value)} is not one of {string.Join(", ", allowed.Select(a => a?.ToJsonString() ?? "null"))}"));
        }

        switch (value)
        {
            case JsonObject obj:
                CheckObject(schema, obj, path, violations);
                break;
            case JsonArray array:
                CheckArray(schema, array, path, violations);
                break;
            case JsonValue scalar:
                CheckScalar(schema, scalar, path, violations);
                break;
        }

        if (schema["oneOf"] is JsonArray oneOf)
        {
            var matching = oneOf.OfType<JsonObject>().Count(alternative => Validate(alternative, value).Count == 0);
            if (matching != 1)
            {
                var options = string.Join(" | ", oneOf.OfType<JsonObject>().Select(Summarize));
                violations.Add(new SchemaViolation(path, matching == 0
                    ? $"must match exactly one of: {options}; it matches none"
                    : $"must match exactly one of: {options}; it matches {matching}"));
            }
        }
    }

    private static void CheckObject(JsonObject schema, JsonObject obj, string path, List<SchemaViolation> violations)
    {
        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => r?.GetValue<string>()).OfType<string>())
            {
                if (obj[name] is null)
                {
                    violations.Add(new SchemaViolation(path, $"required field '{name}' is missing"));
                }
            }
        }

        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"];
        var preserveUnknown = schema["x-kubernetes-preserve-unknown-fields"] is JsonValue p && p.TryGetValue<bool>(out var keep) && keep;
        foreach (var (name, child) in obj)
        {
            var childPath = path + "." + name;
            if (properties?[name] is JsonObject childSchema)
            {
                Check(childSchema, child, childPath, violations);
            }
            else if (additional is JsonObject additionalSchema)
            {
                Check(additionalSchema, child, childPath, violations);
            }
            else if (additional is JsonValue flag && flag.TryGetValue<bool>(out var allowed) && !allowed)
            {
                violations.Add(new SchemaViolation(childPath, "unknown field"));
            }
            else if (properties is not null && !preserveUnknown)
            {
                var known = string.Join(", ", properties.Select(kv => kv.Key));
                violations.Add(new SchemaViolation(childPath, $"unknown field (known fields: {known})"));
            }
        }
    }

    private static void CheckArray(JsonObject schema, JsonArray array, string path, List<SchemaViolation> violations)
    {
        if (Number(schema, "minItems") is { } minItems && array.Count < minItems)
        {
            violations.Add(new SchemaViolation(path, $"must have at least {minItems} item(s), has {array.Count}"));
        }

        if (Number(schema, "maxItems") is { } maxItems && array.Count > maxItems)
        {
            violations.Add(new SchemaViolation(path, $"must have at most {maxItems} item(s), has {array.Count}"));
        }

        if (schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Check(items, array[i], $"{path}[{i}]", violations);
            }
        }
    }

    private static void CheckScalar(JsonObject schema, JsonValue scalar, string path, List<SchemaViolation> violations)
    {
        if (scalar.GetValueKind() == JsonValueKind.String)
        {
            var text = scalar.GetValue<string>();
            if (Number(schema, "minLength") is { } minLength && text.Length < minLength)
            {
                violations.Add(new SchemaViolation(path, $"must be at least {minLength} character(s) long"));
            }

            if (Number(schema, "maxLength") is { } maxLength && text.Length > maxLength)
            {
                violations.Add(new SchemaViolation(path, $"must be at most {maxLength} character(s) long"));
            }

            if (Text(schema, "pattern") is { } pattern && !Patterns.GetOrAdd(pattern, Compile).IsMatch(text))
            {
                violations.Add(new SchemaViolation(path, $"'{text}' does not match the pattern {pattern}"));
            }

            if (Text(schema, "format") == "date-time"
                && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
            {
                violations.Add(new SchemaViolation(path, $"'{text}' is not an RFC 3339 date-time"));
            }

            return;
        }

        if (scalar.GetValueKind() == JsonValueKind.Number)
        {
            var number = AsDouble(scalar);
            if (Number(schema, "minimum") is { } minimum && number < minimum)
            {
                violations.Add(new SchemaViolation(path, $"{Describe(scalar)} is below the minimum {minimum}"));
            }

            if (Number(schema, "maximum") is { } maximum && number > maximum)
            {
                violations.Add(new SchemaViolation(path, $"{Describe(scalar)} is above the maximum {maximum}"));
            }
        }
    }

    private static Regex Compile(string pattern) =>
        new(pattern, RegexOptions.ECMAScript, TimeSpan.FromSeconds(1));

    private static bool HasType(JsonNode value, string type) => type switch
    {
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value is JsonValue v && v.GetValueKind() == JsonValueKind.String,
        "boolean" => value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "number" => value is JsonValue v && v.GetValueKind() == JsonValueKind.Number,
        "integer" => value is JsonValue v && v.GetValueKind() == JsonValueKind.Number
                     && AsDouble(v) is var d && Math.Floor(d) == d && !double.IsInfinity(d),
        _ => true,
    };

    private static string Describe(JsonNode value) => value switch
    {
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => $"the string '{v.GetValue<string>()}'",
        _ => value.ToJsonString(),
    };

    private static string Summarize(JsonObject alternative) =>
        alternative["required"] is JsonArray r ? "{" + string.Join(", ", r.Select(x => x?.GetValue<string>())) + "}" : alternative.ToJsonString();

    private static string Article(string type) => type is "object" or "array" or "integer" ? "an" : "a";

    private static string? Text(JsonObject schema, string keyword) =>
        schema[keyword] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static double? Number(JsonObject schema, string keyword) =>
        schema[keyword] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? AsDouble(v) : null;

    /// <summary>Numbers arrive as long, int, double or JsonElement depending on who built the node.</summary>
    private static double AsDouble(JsonValue value)
    {
        if (value.TryGetValue<long>(out var l))
        {
            return l;
        }

        if (value.TryGetValue<int>(out var i))
        {
            return i;
        }

        if (value.TryGetValue<double>(out var d))
        {
            return d;
        }

        return value.TryGetValue<JsonElement>(out var e) && e.TryGetDouble(out var x) ? x : double.NaN;
    }
}
