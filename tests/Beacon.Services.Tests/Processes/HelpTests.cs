namespace Beacon.Services.Tests.Processes;

/// <summary>--help on the real service lists every option with its default and exits 0 without starting anything.</summary>
public sealed class HelpTests
{
    public static TheoryData<string, string[]> Expected => new()
    {
        { "Allocator", ["--source <kubernetes|standalone>", "default: kubernetes", "--load-balancer-class", "default: beacon.io/beacon", "--lease-duration", "default: 15s", "default: 9470"] },
        { "NodeAgent", ["--heartbeat-interval", "default: 50ms", "--missed-heartbeats", "default: 3", "--dummy-interface", "default: kube-lb0", "default: 9471"] },
        { "Announcer", ["--mode <l2|bird|frr|gobgp>", "default: (not set)", "--interfaces", "default: 9472"] },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public async Task Help_lists_every_option_with_its_default_and_exits_0(string service, string[] expected)
    {
        await using var launched = await Services.RunToExitAsync(service, ["--help"]);
        var process = launched.Process;

        process.ExitCode.Should().Be(0, process.Transcript);
        var help = string.Join('\n', process.StandardOutput);
        foreach (var text in expected)
            help.Should().Contain(text);
        help.Should().Contain("--http-port").And.Contain("BEACON_HTTP_PORT").And.Contain("--log-level").And.Contain("--log-format");
        process.StandardOutput.Should().NotContain(l => l.Contains("listening on", StringComparison.Ordinal));
    }
}
