using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Beacon.KubeApiServer;

/// <summary>
/// The parts of a CRD's structural openAPIV3Schema a real API server enforces on custom objects that Beacon's CRDs
/// use: type, required, enum, pattern, bounds, lengths, item counts, int-or-string, and pruning of unknown fields.
/// </summary>
internal static class OpenApiSchema
{
    public static void Validate(JsonObject schema, JsonNode? value, string path, List<string> problems)
    {
        if (value is null)
        {
            if (schema["nullable"]?.GetValue<bool>() != true)
            {
                problems.Add($"{path}: Invalid value: \"null\": {path} in body must be of type {(string?)schema["type"] ?? "object"}: \"null\"");
            }

            return;
        }

        if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            if (value is not JsonValue v || v.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number))
            {
                problems.Add($"{path}: Invalid value: {value.ToJsonString()}: {path} in body must be of type integer-or-string");
            }

            return;
        }

        var type = (string?)schema["type"];
        var kind = value.GetValueKind();
        var typeOk = type switch
        {
            "object" => kind == JsonValueKind.Object,
            "array" => kind == JsonValueKind.Array,
            "string" => kind == JsonValueKind.String,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "integer" => JsonNumber.Integer(value) is not null,
            "number" => kind == JsonValueKind.Number,
            _ => true,
        };
        if (!typeOk)
        {
            problems.Add($"{path}: Invalid value: \"{Describe(kind)}\": {path} in body must be of type {type}: \"{Describe(kind)}\"");
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            problems.Add($"{path}: Unsupported value: {value.ToJsonString()}: supported values: {string.Join(", ", allowed.Select(a => a?.ToJsonString()))}");
        }

        switch (value)
        {
            case JsonObject map:
                ValidateObject(schema, map, path, problems);
                break;
            case JsonArray list:
                ValidateArray(schema, list, path, problems);
                break;
            case JsonValue scalar when kind == JsonValueKind.String:
                ValidateString(schema, scalar.GetValue<string>(), path, problems);
                break;
            case JsonValue number when kind == JsonValueKind.Number:
                var n = JsonNumber.Real(number);
                if (JsonNumber.Real(schema["minimum"]) is { } min && n < min)
                {
                    problems.Add($"{path}: Invalid value: {number}: {path} in body should be greater than or equal to {min}");
                }

                if (JsonNumber.Real(schema["maximum"]) is { } max && n > max)
                {
                    problems.Add($"{path}: Invalid value: {number}: {path} in body should be less than or equal to {max}");
                }

                break;
        }
    }

    public static void CheckRequired(JsonObject schema, JsonObject map, string path, List<string> problems)
    {
        foreach (var required in (schema["required"] as JsonArray ?? []).Select(r => (string?)r))
        {
            if (required is not null && !map.ContainsKey(required))
            {
                problems.Add($"{Join(path, required)}: Required value");
            }
        }
    }

    private static void ValidateObject(JsonObject schema, JsonObject map, string path, List<string> problems)
    {
        CheckRequired(schema, map, path, problems);
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        foreach (var (field, value) in map.ToList())
        {
            if (properties?[field] is JsonObject fieldSchema)
            {
                Validate(fieldSchema, value, Join(path, field), problems);
            }
            else if (additional is not null)
            {
                Validate(additional, value, Join(path, field), problems);
            }
            else if (!preserve && (properties is not null || schema["additionalProperties"] is null))
            {
                // Structural schemas prune what they do not declare: the write succeeds, the field is gone.
                map.Remove(field);
            }
        }
    }

    private static void ValidateArray(JsonObject schema, JsonArray list, string path, List<string> problems)
    {
        if (JsonNumber.Integer(schema["maxItems"]) is { } max && list.Count > max)
        {
            problems.Add($"{path}: Too many: {list.Count}: must have at most {max} items");
        }

        if (JsonNumber.Integer(schema["minItems"]) is { } min && list.Count < min)
        {
            problems.Add($"{path}: Invalid value: {list.Count}: {path} in body should have at least {min} items");
        }

        if (schema["items"] is JsonObject items)
        {
            for (var i = 0; i < list.Count; i++)
            {
                Validate(items, list[i], $"{path}[{i}]", problems);
            }
        }
    }

    private static void ValidateString(JsonObject schema, string text, string path, List<string> problems)
    {
        if (JsonNumber.Integer(schema["maxLength"]) is { } max && text.Length > max)
        {
            problems.Add($"{path}: Too long: may not be more than {max} bytes");
        }

        if (JsonNumber.Integer(schema["minLength"]) is { } min && text.Length < min)
        {
            problems.Add($"{path}: Invalid value: \"{text}\": {path} in body should be at least {min} chars long");
        }

        if ((string?)schema["pattern"] is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            problems.Add($"{path}: Invalid value: \"{text}\": {path} in body should match '{pattern}'");
        }
    }

    private static string Join(string path, string field) => path.Length == 0 ? field : $"{path}.{field}";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
