using Beacon.Hosting;
using Beacon.Hosting.Options;
using Microsoft.Extensions.Configuration;

namespace Beacon.Services.Tests.Hosting;

/// <summary>What an operator reads: --help and the refusal to start.</summary>
public sealed class OperatorMessagesTests
{
    private static readonly ServiceIdentity Identity = new("beacon-sample", "Does sample things.", 9999);

    [Fact]
    public void Help_lists_every_option_with_type_default_description_and_spellings()
    {
        var catalog = BeaconHost.CreateCatalog<SampleOptions>(Identity);

        var help = HelpText.Render(Identity, catalog);

        help.Should().StartWith("beacon-sample — Does sample things.");
        foreach (var option in catalog.Options)
            help.Should().Contain(option.Flag).And.Contain(option.EnvironmentVariable).And.Contain($"appsettings: \"{option.Path}\"");
        help.Should().Contain("--tick-interval <duration (e.g. 100ms, 5s, 1m)>\n      How often to tick.\n      default: 250ms")
            .And.Contain("--mode <fast|careful>").And.Contain("default: (not set)")
            .And.Contain("--http-port <integer>").And.Contain("default: 9999")
            .And.Contain("--log-level").And.Contain("default: information")
            .And.Contain("--server-urls <list (comma-separated)>").And.Contain("default: nats://127.0.0.1:4222");
    }

    [Fact]
    public void Secrets_are_never_printed_in_the_problem_report_or_the_start_line()
    {
        var catalog = BeaconHost.CreateCatalog<SampleOptions>(Identity);
        var loaded = OptionsLoader.Load(catalog, ["--server-password", "hunter2", "--retries", "4"],
            new ConfigurationBuilder().Build(), new System.Collections.Hashtable());

        var report = ProblemReport.Render(Identity, loaded);

        report.Should().Contain("--server-password = (hidden)").And.NotContain("hunter2");
        loaded.ChangedFromDefaults().Should().BeEquivalentTo("--server-password=(hidden)", "--retries=4");
    }

    [Fact]
    public void Problem_report_names_each_option_in_all_spellings_with_value_problem_and_fix()
    {
        var catalog = BeaconHost.CreateCatalog<SampleOptions>(Identity);
        var loaded = OptionsLoader.Load(catalog, ["--retries", "42", "--http-port", "seventy"],
            new ConfigurationBuilder().Build(), new System.Collections.Hashtable());

        var report = ProblemReport.Render(Identity, loaded);

        report.Should().StartWith("beacon-sample cannot start: 2 invalid options.")
            .And.Contain("--retries = 42   (env BEACON_RETRIES, appsettings \"Retries\")")
            .And.Contain("problem: must be between 0 and 10, but is 42")
            .And.Contain("fix:     set a whole number from 0 to 10")
            .And.Contain("--http-port = 'seventy'   (env BEACON_HTTP_PORT, appsettings \"Http:Port\")")
            .And.Contain("Run with --help");
    }
}
