using System.Net;
using Beacon.Kube.Library;
using k8s;
using k8s.Autorest;

namespace Beacon.Kube.Tests;

/// <summary>Throttled requests (429 with Retry-After, as API Priority and Fairness answers) are retried as client-go does.</summary>
public sealed class RetryAfterHandlerTests
{
    [Fact]
    public async Task A_throttled_request_is_retried_after_the_servers_retry_after_and_then_succeeds()
    {
        await using var cluster = await TestCluster.StartAsync();
        using var client = KubeClients.Create(new KubernetesClientConfiguration { Host = cluster.Server.BaseAddress.ToString() }, qps: 100, burst: 100);
        cluster.Server.Faults.FailNext(2, "/services", statusCode: 429);

        var started = TimeProvider.System.GetTimestamp();
        var list = await client.CoreV1.ListServiceForAllNamespacesAsync();

        list.Items.Should().NotBeNull();
        cluster.Server.Faults.PendingFailures.Should().Be(0, "both 429 answers were consumed by retries");
        TimeProvider.System.GetElapsedTime(started).Should().BeGreaterThan(TimeSpan.FromMilliseconds(1900), "each retry waited the 1 s Retry-After");
    }

    [Fact]
    public async Task After_its_retries_the_last_throttling_answer_reaches_the_caller()
    {
        await using var cluster = await TestCluster.StartAsync();
        var configuration = new KubernetesClientConfiguration { Host = cluster.Server.BaseAddress.ToString() };
        var handler = new RetryAfterHandler(maxRetries: 1);
        using var client = new Kubernetes(configuration, handler);
        cluster.Server.Faults.FailNext(3, "/services", statusCode: 429);

        var list = () => client.CoreV1.ListServiceForAllNamespacesAsync();

        (await list.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        handler.Retries.Should().Be(1);
        cluster.Server.Faults.PendingFailures.Should().Be(1);
    }

    [Fact]
    public async Task A_server_error_without_retry_after_is_not_retried()
    {
        await using var cluster = await TestCluster.StartAsync();
        var handler = new RetryAfterHandler();
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = cluster.Server.BaseAddress.ToString() }, handler);
        cluster.Server.Faults.FailNext(1, "/services", statusCode: 500);

        var list = () => client.CoreV1.ListServiceForAllNamespacesAsync();

        (await list.Should().ThrowAsync<HttpOperationException>()).Which.Response.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        handler.Retries.Should().Be(0);
    }
}
