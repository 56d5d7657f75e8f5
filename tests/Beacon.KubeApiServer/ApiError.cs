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

    public JsonObject ToStatus() => Status(Code, Reason, Message);

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
        new(404, "NotFound", $"{resource.Id} \"{name}\" not found");

    public static ApiError AlreadyExists(ApiResourceInfo resource, string name) =>
        new(409, "AlreadyExists", $"{resource.Id} \"{name}\" already exists");

    public static ApiError Conflict(ApiResourceInfo resource, string name) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {resource.Id} \"{name}\": the object has been modified; please apply your changes to the latest version and try again");

    public static ApiError Expired(string message) => new(410, "Expired", message);

    public static ApiError BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiError Invalid(string message) => new(422, "Invalid", message);
}
