using System.Net;
using System.Net.Sockets;
using System.Text;
using Beacon.Hosting.Health;
using Beacon.Hosting.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace Beacon.Services.Tests.Hosting;

/// <summary>/readyz answers 503 with every reason until all checks pass; served by the probe server on loopback.</summary>
public sealed class HealthEndpointsTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private static async Task<(ProbeHttpServer Server, Uri Base, CollectorRegistry Registry)> StartAsync(params IReadinessCheck[] checks)
    {
        var registry = Metrics.NewCustomRegistry();
        var server = new ProbeHttpServer(new IPEndPoint(IPAddress.Loopback, 0), new HealthEndpoints(checks, registry), NullLogger<ProbeHttpServer>.Instance);
        await server.StartAsync(CancellationToken.None);
        return (server, new Uri(server.Url!), registry);
    }

    [Fact]
    public async Task Readyz_is_503_with_every_reason_until_all_checks_are_ready()
    {
        var nats = new ReadinessFlag("nats", "not connected to nats://127.0.0.1:4222 yet");
        var cache = new ReadinessFlag("cache", "services not listed yet");
        var (app, baseUri, _) = await StartAsync(nats, cache, new ThrowingCheck());
        await using var _ = app;

        using (var response = await Http.GetAsync(new Uri(baseUri, "/readyz")))
        {
            response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await response.Content.ReadAsStringAsync()).Should().Be(
                "not ready\nnats: not connected to nats://127.0.0.1:4222 yet\ncache: services not listed yet\nbroken: check failed: boom\n");
        }

        using (var healthz = await Http.GetAsync(new Uri(baseUri, "/healthz")))
            healthz.StatusCode.Should().Be(HttpStatusCode.OK, "liveness does not depend on readiness");
    }

    [Fact]
    public async Task Readyz_turns_200_when_the_components_mark_themselves_ready_and_back_to_503()
    {
        var nats = new ReadinessFlag("nats", "connecting");
        var (app, baseUri, _) = await StartAsync(nats);
        await using var _ = app;

        nats.MarkReady();
        using (var ready = await Http.GetAsync(new Uri(baseUri, "/readyz")))
        {
            ready.StatusCode.Should().Be(HttpStatusCode.OK);
            (await ready.Content.ReadAsStringAsync()).Should().Be("ready\nnats: ready\n");
        }

        nats.MarkNotReady("connection lost");
        using var lost = await Http.GetAsync(new Uri(baseUri, "/readyz"));
        lost.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await lost.Content.ReadAsStringAsync()).Should().Contain("nats: connection lost");
    }

    [Fact]
    public async Task Metrics_endpoint_serves_the_registry_with_the_prometheus_content_type()
    {
        var (app, baseUri, registry) = await StartAsync();
        await using var _ = app;
        Metrics.WithCustomRegistry(registry).CreateCounter("beacon_test_total", "t").Inc(5);

        using var response = await Http.GetAsync(new Uri(baseUri, "/metrics"));

        response.Content.Headers.ContentType!.ToString().Should().Be("text/plain; version=0.0.4; charset=utf-8");
        (await response.Content.ReadAsStringAsync()).Should().Contain("beacon_test_total 5\n");
    }

    [Fact]
    public async Task Metrics_endpoint_serves_OpenMetrics_when_the_scraper_asks_for_it_as_Prometheus_does()
    {
        var (app, baseUri, registry) = await StartAsync();
        await using var _ = app;
        Metrics.WithCustomRegistry(registry).CreateCounter("beacon_test_total", "t").Inc(5);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "/metrics"));
        request.Headers.TryAddWithoutValidation("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");

        using var response = await Http.SendAsync(request);

        response.Content.Headers.ContentType!.MediaType.Should().Be("application/openmetrics-text");
        var body = await response.Content.ReadAsStringAsync();
        body.Should().Contain("beacon_test_total 5.0\n", "OpenMetrics writes counters as floats");
        body.Should().EndWith("# EOF\n");
    }

    [Fact]
    public async Task Other_paths_methods_and_garbage_get_a_clear_4xx_and_the_server_keeps_serving()
    {
        var (app, baseUri, _) = await StartAsync();
        await using var _ = app;

        using (var missing = await Http.GetAsync(new Uri(baseUri, "/nothing?x=1")))
        {
            missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
            (await missing.Content.ReadAsStringAsync()).Should().Contain("/healthz, /readyz and /metrics");
        }

        using (var post = await Http.PostAsync(new Uri(baseUri, "/readyz"), new StringContent("x")))
        {
            post.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
            post.Content.Headers.Allow.Should().Equal("GET");
        }

        (await RawAsync(app, "garbage\r\n\r\n")).Should().StartWith("HTTP/1.1 400 Bad Request\r\n");
        (await RawAsync(app, "GET /healthz HTTP/2.0\r\n\r\n")).Should().StartWith("HTTP/1.1 400 ");
        (await RawAsync(app, "GET /" + new string('a', HttpRequestHead.MaxLength) + " HTTP/1.1\r\n\r\n")).Should().StartWith("HTTP/1.1 431 ");
        (await RawAsync(app, "GET /healthz?probe=1 HTTP/1.0\r\nHost: x\r\n\r\n")).Should().StartWith("HTTP/1.1 200 OK\r\n").And.EndWith("\r\n\r\nok\n");

        using var healthz = await Http.GetAsync(new Uri(baseUri, "/healthz"));
        healthz.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_port_already_in_use_fails_the_start_with_the_address_in_the_message()
    {
        var (app, _, _) = await StartAsync();
        await using var _ = app;
        var second = new ProbeHttpServer(app.LocalEndPoint!, new HealthEndpoints([], Metrics.NewCustomRegistry()), NullLogger<ProbeHttpServer>.Instance);

        var start = () => second.StartAsync(CancellationToken.None);

        (await start.Should().ThrowAsync<IOException>()).WithMessage($"cannot listen on http://{app.LocalEndPoint}*");
    }

    [Fact]
    public async Task A_restarted_server_binds_its_port_while_the_previous_ones_connections_are_in_TIME_WAIT()
    {
        var (first, baseUri, _) = await StartAsync();
        var port = first.LocalEndPoint!;
        (await RawAsync(first, "GET /healthz HTTP/1.1\r\n\r\n")).Should().StartWith("HTTP/1.1 200 ");
        await first.DisposeAsync();

        await using var second = new ProbeHttpServer(port, new HealthEndpoints([], Metrics.NewCustomRegistry()), NullLogger<ProbeHttpServer>.Instance);
        await second.StartAsync(CancellationToken.None);

        using var healthz = await Http.GetAsync(new Uri(baseUri, "/healthz"));
        healthz.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    /// <summary>Sends <paramref name="request"/> as it is and returns everything the server wrote before closing.</summary>
    private static async Task<string> RawAsync(ProbeHttpServer server, string request)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(server.LocalEndPoint!);
        await client.SendAsync(Encoding.ASCII.GetBytes(request));
        using var stream = new NetworkStream(client);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    private sealed class ThrowingCheck : IReadinessCheck
    {
        public string Name => "broken";

        public Readiness Check() => throw new InvalidOperationException("boom");
    }
}
