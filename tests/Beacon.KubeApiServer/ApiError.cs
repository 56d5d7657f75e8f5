using System.Text.Json.Nodes;

namespace Beacon.KubeApiServer;

/// <summary>An error the server answers with a Status object (as the real API does).</summary>
public sealed class ApiError : Exception
{
    public ApiError(int code, string reason, string message)
        : base(message)
    {
        Code = code;
        Reason = reason;
    }

    public ApiError()
    {
        Reason = "InternalError";
    }

    public ApiError(string message)
        : base(message)
    {
        Reason = "InternalError";
    }

    public ApiError(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = "InternalError";
    }

    public int Code { get; } = 500;

    public string Reason { get; }

    public JsonObject ToStatus()
    {
        var status = Status(Code, Reason, Message);
        if (Details is not null)
        {
            status["details"] = Details.DeepClone();
        }

        return status;
    }

    public static JsonObject Status(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    };

    public static ApiError NotFound(ApiResourceInfo resource, string name) =>
        new(404, "NotFound", $"{resource.Id} \"{name}\" not found") { Details = Of(resource, name) };

    public static ApiError AlreadyExists(ApiResourceInfo resource, string name) =>
        new(409, "AlreadyExists", $"{resource.Id} \"{name}\" already exists") { Details = Of(resource, name) };

    public static ApiError Conflict(ApiResourceInfo resource, string name) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {resource.Id} \"{name}\": the object has been modified; please apply your changes to the latest version and try again") { Details = Of(resource, name) };

    private static JsonObject Of(ApiResourceInfo resource, string name) => new() { ["name"] = name, ["group"] = resource.Group, ["kind"] = resource.Plural };

    public static ApiError Expired(string message) => new(410, "Expired", message);

    public static ApiError BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiError Invalid(string message) => new(422, "Invalid", message);

    /// <summary>422 in the API server's words: Kind "name" is invalid: field: problem.</summary>
    public static ApiError Invalid(ApiResourceInfo resource, string name, params IReadOnlyList<string> problems) =>
        new(422, "Invalid", $"{resource.Kind} \"{name}\" is invalid: {(problems.Count == 1 ? problems[0] : "[" + string.Join(", ", problems) + "]")}")
        {
            Details = new JsonObject
            {
                ["name"] = name,
                ["group"] = resource.Group,
                ["kind"] = resource.Plural,
                ["causes"] = new JsonArray([.. problems.Select(p => (JsonNode)new JsonObject
                {
                    ["reason"] = p.Contains("Required value", StringComparison.Ordinal) ? "FieldValueRequired" : "FieldValueInvalid",
                    ["message"] = p[(p.IndexOf(": ", StringComparison.Ordinal) + 2)..],
                    ["field"] = p[..Math.Max(0, p.IndexOf(": ", StringComparison.Ordinal))],
                })]),
            },
        };

    /// <summary>Status.details (name, group, kind, causes) when the error is about one object.</summary>
    public JsonObject? Details { get; private init; }
}
