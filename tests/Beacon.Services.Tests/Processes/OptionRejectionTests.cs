namespace Beacon.Services.Tests.Processes;

/// <summary>A bad option stops the real service before it starts, names the option in every spelling and says how to fix it.</summary>
public sealed class OptionRejectionTests
{
    public static TheoryData<string, string[], string, string> BadOptions => new()
    {
        { "Allocator", ["--lease-duration", "-5s"], "--lease-duration = -5s", "must be a duration greater than zero" },
        { "Allocator", ["--manifests-directory", ""], "--manifests-directory", "with --source standalone" },
        { "NodeAgent", ["--heartbeat-interval", "soon"], "--heartbeat-interval = 'soon'", "as duration" },
        { "NodeAgent", ["--missed-heartbeats", "0"], "--missed-heartbeats = 0", "must be between 1 and 100" },
        { "Announcer", ["--mode", "ospf"], "--mode = 'ospf'", "l2|bird|frr|gobgp" },
        { "Announcer", ["--node-name", " "], "--node-name", "is empty" },
        { "Allocator", ["--http-address", "localhost"], "--http-address = localhost", "is not an IP address" },
        { "NodeAgent", ["--no-such-option", "1"], "--no-such-option", "unknown option" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public async Task Bad_option_exits_with_code_2_naming_the_option_and_the_fix(string service, string[] bad, string names, string problem)
    {
        await using var launched = await Services.RunToExitAsync(service, Services.StartArguments(service, bad));
        var process = launched.Process;

        process.ExitCode.Should().Be(2, process.Transcript);
        var stderr = string.Join('\n', process.StandardError);
        stderr.Should().Contain("cannot start").And.Contain(names).And.Contain(problem).And.Contain("fix:");
        process.StandardOutput.Should().NotContain(l => l.Contains("listening on", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Announcer_without_a_mode_refuses_to_start_and_lists_the_modes()
    {
        await using var launched = await Services.RunToExitAsync("Announcer", ["--http-address", "127.0.0.1", "--http-port", "0"]);
        var process = launched.Process;

        process.ExitCode.Should().Be(2, process.Transcript);
        string.Join('\n', process.StandardError).Should().Contain("--mode").And.Contain("BEACON_MODE").And.Contain("--mode l2");
    }

    [Fact]
    public async Task A_bad_value_from_the_environment_names_the_variable()
    {
        var env = new Dictionary<string, string> { ["BEACON_GRATUITOUS_COUNT"] = "many" };
        await using var launched = await Services.RunToExitAsync("NodeAgent", Services.StartArguments("NodeAgent"), env);
        var process = launched.Process;

        process.ExitCode.Should().Be(2, process.Transcript);
        string.Join('\n', process.StandardError).Should().Contain("cannot read 'many' (from BEACON_GRATUITOUS_COUNT) as integer");
    }
}
