using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Beacon.KubeApiServer.Tests;

/// <summary>What a failed call through the official client carries: the HTTP status and the Status body it can read.</summary>
internal static class ApiFailure
{
    public static async Task<(HttpStatusCode Code, V1Status Status)> Of(Func<Task> call)
    {
        var failure = (await call.Should().ThrowAsync<HttpOperationException>()).Which;
        var status = KubernetesJson.Deserialize<V1Status>(failure.Response.Content);
        status.Kind.Should().Be("Status");
        status.Code.Should().Be((int)failure.Response.StatusCode, "the body's code matches the HTTP status");
        return (failure.Response.StatusCode, status);
    }
}
