using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Beacon.TestSupport.Processes;

namespace Beacon.Services.Tests.Processes;

/// <summary>Each real service process starts, answers its probes and metrics, and stops cleanly on SIGTERM.</summary>
public sealed class ServiceLifecycleTests
{
    [Theory]
    [MemberData(nameof(Services.Names), MemberType = typeof(Services))]
    public async Task Service_serves_probes_and_metrics_then_stops_cleanly_within_5s_of_SIGTERM(string service)
    {
        await using var launched = await Services.StartAsync(service, Services.StartArguments(service));
        var process = launched.Process;
        await process.WaitForListeningAsync(Services.StartTimeout);

        var healthz = await ServiceHttp.GetAsync(process, "/healthz");
        healthz.StatusCode.Should().Be(200, process.Transcript);
        healthz.Body.Should().Be("ok\n");

        // Ready or not depends on the service's components (NATS, caches); either way the answer explains itself.
        var readyz = await ServiceHttp.GetAsync(process, "/readyz");
        readyz.StatusCode.Should().BeOneOf([200, 503], process.Transcript);
        var lines = readyz.Body.TrimEnd('\n').Split('\n');
        lines[0].Should().Be(readyz.StatusCode == 200 ? "ready" : "not ready");
        lines.Should().Contain("host: ready");
        lines.Skip(1).Should().OnlyContain(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^[\w.-]+: \S.*$"));

        var metrics = await ServiceHttp.GetAsync(process, "/metrics");
        metrics.StatusCode.Should().Be(200);
        metrics.ContentType.Should().Contain("text/plain").And.Contain("version=0.0.4");
        metrics.Body.Should().Contain("# TYPE process_cpu_seconds_total counter")
            .And.Contain("# TYPE process_working_set_bytes gauge")
            .And.MatchRegex(@"(?m)^process_start_time_seconds \d")
            .And.Contain($"beacon_build_info{{service=\"beacon-{service.ToLowerInvariant()}\"");

        var clock = Stopwatch.StartNew();
        process.Terminate();
        var exitCode = await process.WaitForExitAsync(Services.ExitTimeout);
        clock.Stop();

        exitCode.Should().Be(0, process.Transcript);
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "SIGTERM must stop the service within the 5 s shutdown budget");
        process.StandardOutput.Should().Contain(l => l.Contains("stopped", StringComparison.Ordinal));
        process.StandardOutput.Should().NotContain(l => l.Contains("Option warning", StringComparison.Ordinal),
            "the service's own appsettings.json must only set options it has");
    }

    [Fact]
    public async Task Logs_are_one_json_object_per_line_when_stdout_is_not_a_terminal()
    {
        await using var process = ServiceProcess.Start("Allocator", Services.StartArguments("Allocator"));
        await process.WaitForListeningAsync(Services.StartTimeout);
        process.Terminate();
        await process.WaitForExitAsync(Services.ExitTimeout);

        process.StandardOutput.Should().Contain(l => l.Contains("\"@m\":\"beacon-allocator starting; options set: --source=standalone --manifests-directory=", StringComparison.Ordinal),
            "the start line tells the operator which options differ from their defaults");
        foreach (var line in process.StandardOutput)
        {
            using var json = System.Text.Json.JsonDocument.Parse(line);
            json.RootElement.GetProperty("@l").GetString().Should().NotBeNullOrEmpty();
            json.RootElement.GetProperty("@m").GetString().Should().NotBeNull();
            json.RootElement.GetProperty("Service").GetString().Should().Be("beacon-allocator");
        }
    }

    [Fact]
    public async Task Environment_variables_configure_the_service_and_text_logs_can_be_forced()
    {
        var env = new Dictionary<string, string>
        {
            ["BEACON_HTTP_ADDRESS"] = "127.0.0.1",
            ["BEACON_HTTP_PORT"] = "0",
            ["BEACON_Log__Format"] = "text",
        };
        foreach (var (flag, value) in Services.StandaloneAllocator())
            env["BEACON_" + flag.Replace('-', '_').ToUpperInvariant()] = value;
        await using var process = ServiceProcess.Start("Allocator", [], env);
        await process.WaitForListeningAsync(Services.StartTimeout);

        process.StandardOutput.Should().Contain(l => Regex.IsMatch(l, @"^\d\d:\d\d:\d\d\.\d{3} INF beacon-allocator: beacon-allocator listening on http://127\.0\.0\.1:\d+$"));
        process.StandardOutput.Should().NotContain(l => l.StartsWith('{'));
        process.Terminate();
        (await process.WaitForExitAsync(Services.ExitTimeout)).Should().Be(0);
    }

    [Fact]
    public async Task Framework_logging_reaches_the_same_log_stream_at_debug_level()
    {
        await using var launched = await Services.StartAsync("NodeAgent", Services.StartArguments("NodeAgent", "--log-level", "debug"));
        var process = launched.Process;
        await process.WaitForListeningAsync(Services.StartTimeout);
        process.Terminate();
        await process.WaitForExitAsync(Services.ExitTimeout);

        // Microsoft.Extensions.Logging categories (used by LoggerMessage-generated code) arrive through Serilog as JSON.
        process.StandardOutput.Should().Contain(l => l.Contains("\"SourceContext\":\"Microsoft.", StringComparison.Ordinal)
            && l.Contains("\"@l\":\"Debug\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_port_already_in_use_fails_the_start_with_exit_code_1_and_says_why()
    {
        using var squatter = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        await using var process = await ServiceProcess.RunToExitAsync("Allocator",
            Services.StartArguments("Allocator", "--http-port", port), Services.StartTimeout);

        process.ExitCode.Should().Be(1, process.Transcript);
        process.StandardOutput.Should().Contain(l => l.Contains("\"@l\":\"Fatal\"", StringComparison.Ordinal) && l.Contains(port, StringComparison.Ordinal));
    }
}
