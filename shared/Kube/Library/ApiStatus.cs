using System.Net;
using k8s.Autorest;

namespace Beacon.Kube.Library;

/// <summary>What an API error from the official client means for the caller.</summary>
public static class ApiStatus
{
    public static HttpStatusCode? Of(Exception exception) =>
        exception is HttpOperationException { Response: { } response } ? response.StatusCode : null;

    /// <summary>409: someone wrote in between (stale resourceVersion) or the object already exists.</summary>
    public static bool IsConflict(Exception exception) => Of(exception) == HttpStatusCode.Conflict;

    public static bool IsNotFound(Exception exception) => Of(exception) == HttpStatusCode.NotFound;

    /// <summary>410: the resourceVersion or continue token is too old; list again.</summary>
    public static bool IsGone(Exception exception) => Of(exception) == HttpStatusCode.Gone
        || exception is k8s.KubernetesException { Status.Code: 410 };
}
