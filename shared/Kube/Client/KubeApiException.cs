using System.Net;
using Beacon.Kube.Models;

namespace Beacon.Kube.Client;

/// <summary>The API answered with an error; Status carries the server's explanation when it sent one.</summary>
public class KubeApiException : Exception
{
    public KubeApiException(HttpStatusCode statusCode, Status? status, string message)
        : base(message)
    {
        StatusCode = statusCode;
        Status = status;
    }

    public KubeApiException(HttpStatusCode statusCode, Status? status, string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        Status = status;
    }

    public KubeApiException()
    {
    }

    public KubeApiException(string message)
        : base(message)
    {
    }

    public KubeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HttpStatusCode StatusCode { get; }

    public Status? Status { get; }

    /// <summary>Machine-readable reason, e.g. Conflict, AlreadyExists, NotFound, Expired.</summary>
    public string? Reason => Status?.Reason;

    /// <summary>Maps a failed response to the most specific exception type.</summary>
    public static KubeApiException From(HttpStatusCode code, Status? status, string requestDescription)
    {
        var message = $"{requestDescription}: {(int)code} {status?.Reason ?? code.ToString()}: {status?.Message ?? "(no message)"}";
        return code switch
        {
            HttpStatusCode.Conflict when status?.Reason == "AlreadyExists" => new KubeAlreadyExistsException(code, status, message),
            HttpStatusCode.Conflict => new KubeConflictException(code, status, message),
            HttpStatusCode.NotFound => new KubeNotFoundException(code, status, message),
            HttpStatusCode.Gone => new KubeGoneException(code, status, message),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new KubeAuthorizationException(code, status, message),
            HttpStatusCode.UnprocessableEntity or HttpStatusCode.BadRequest => new KubeInvalidException(code, status, message),
            _ => new KubeApiException(code, status, message),
        };
    }
}

/// <summary>409: the object changed since it was read (stale resourceVersion). Re-read and retry.</summary>
public sealed class KubeConflictException(HttpStatusCode code, Status? status, string message)
    : KubeApiException(code, status, message);

/// <summary>409 AlreadyExists on create.</summary>
public sealed class KubeAlreadyExistsException(HttpStatusCode code, Status? status, string message)
    : KubeApiException(code, status, message);

public sealed class KubeNotFoundException(HttpStatusCode code, Status? status, string message)
    : KubeApiException(code, status, message);

/// <summary>410: the requested resourceVersion is too old (compacted). Relist.</summary>
public sealed class KubeGoneException(HttpStatusCode code, Status? status, string message)
    : KubeApiException(code, status, message);

/// <summary>401/403.</summary>
public sealed class KubeAuthorizationException(HttpStatusCode code, Status? status, string message)
    : KubeApiException(code, status, message);

/// <summary>400/422: the request or object was rejected as invalid.</summary>
public sealed class KubeInvalidException(HttpStatusCode code, Status? status, string message)
    : KubeApiException(code, status, message);
