using System.Net;
using Beacon.Hosting.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Beacon.Services.Tests.Hosting;

/// <summary>/readyz answers 503 with every reason until all checks pass; served by real Kestrel on loopback.</summary>
public sealed class HealthEndpointsTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private static async Task<(WebApplication App, Uri Base)> StartAsync(params IReadinessCheck[] checks)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(Metrics.NewCustomRegistry());
        foreach (var check in checks)
            builder.Services.AddReadinessCheck(check);
        var app = builder.Build();
        app.MapBeaconEndpoints();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (app, new Uri(address));
    }

    [Fact]
    public async Task Readyz_is_503_with_every_reason_until_all_checks_are_ready()
    {
        var nats = new ReadinessFlag("nats", "not connected to nats://127.0.0.1:4222 yet");
        var cache = new ReadinessFlag("cache", "services not listed yet");
        var (app, baseUri) = await StartAsync(nats, cache, new ThrowingCheck());
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
        var (app, baseUri) = await StartAsync(nats);
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
        var (app, baseUri) = await StartAsync();
        await using var _ = app;
        Metrics.WithCustomRegistry(app.Services.GetRequiredService<CollectorRegistry>()).CreateCounter("beacon_test_total", "t").Inc(5);

        using var response = await Http.GetAsync(new Uri(baseUri, "/metrics"));

        response.Content.Headers.ContentType!.ToString().Should().Be("text/plain; version=0.0.4; charset=utf-8");
        (await response.Content.ReadAsStringAsync()).Should().Contain("beacon_test_total 5\n");
    }

    private sealed class ThrowingCheck : IReadinessCheck
    {
        public string Name => "broken";

        public Readiness Check() => throw new InvalidOperationException("boom");
    }
}
