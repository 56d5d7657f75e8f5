using System.Collections;
using Beacon.Hosting.Options;
using Microsoft.Extensions.Configuration;

namespace Beacon.Services.Tests.Hosting;

public sealed class OptionsLoaderTests
{
    private static readonly OptionCatalog Catalog = OptionCatalog.For<SampleOptions>();

    private static LoadedOptions Load(string[] args, Dictionary<string, string?>? appsettings = null, Dictionary<string, string>? env = null) =>
        OptionsLoader.Load(Catalog, args,
            new ConfigurationBuilder().AddInMemoryCollection(appsettings ?? []).Build(),
            new Hashtable(env ?? new Dictionary<string, string>()));

    [Fact]
    public void Defaults_apply_when_nothing_is_given()
    {
        var loaded = Load([]);

        loaded.IsValid.Should().BeTrue();
        var options = loaded.Get<SampleOptions>();
        options.TickInterval.Should().Be(TimeSpan.FromMilliseconds(250));
        options.Retries.Should().Be(3);
        options.Server.Urls.Should().Equal("nats://127.0.0.1:4222");
    }

    [Fact]
    public void Command_line_accepts_kebab_case_equals_form_section_paths_and_bare_booleans()
    {
        var loaded = Load(["--tick-interval", "1.5s", "--retries=7", "--Server:ConnectTimeout=750ms", "--dry-run", "--server-urls", "nats://a:1", "--mode", "careful"]);

        loaded.Problems.Should().BeEmpty();
        var options = loaded.Get<SampleOptions>();
        options.TickInterval.Should().Be(TimeSpan.FromMilliseconds(1500));
        options.Retries.Should().Be(7);
        options.Server.ConnectTimeout.Should().Be(TimeSpan.FromMilliseconds(750));
        options.DryRun.Should().BeTrue();
        options.Server.Urls.Should().Equal("nats://a:1");
        options.Mode.Should().Be(SampleMode.Careful);
    }

    [Fact]
    public void Command_line_beats_environment_which_beats_appsettings()
    {
        var appsettings = new Dictionary<string, string?> { ["Retries"] = "1", ["Name"] = "from-json", ["Ratio"] = "0.25" };
        var env = new Dictionary<string, string> { ["BEACON_RETRIES"] = "2", ["BEACON_NAME"] = "from-env" };

        var options = Load(["--retries", "4"], appsettings, env).Get<SampleOptions>();

        options.Retries.Should().Be(4);
        options.Name.Should().Be("from-env");
        options.Ratio.Should().Be(0.25);
    }

    [Fact]
    public void Environment_accepts_flat_and_double_underscore_spellings()
    {
        var env = new Dictionary<string, string>
        {
            ["BEACON_SERVER_CONNECT_TIMEOUT"] = "3s",
            ["BEACON_Server__Urls"] = "nats://x:1, nats://y:2",
            ["PATH"] = "/usr/bin",
        };

        var loaded = Load([], env: env);

        loaded.Get<SampleOptions>().Server.ConnectTimeout.Should().Be(TimeSpan.FromSeconds(3));
        loaded.Get<SampleOptions>().Server.Urls.Should().Equal("nats://x:1", "nats://y:2");
        loaded.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void Unknown_environment_variables_with_the_prefix_are_warnings_not_errors()
    {
        var loaded = Load([], env: new Dictionary<string, string> { ["BEACON_RETRYS"] = "2" });

        loaded.IsValid.Should().BeTrue();
        loaded.Warnings.Should().ContainSingle().Which.Should().Contain("BEACON_RETRYS");
    }

    [Fact]
    public void Appsettings_keys_that_match_no_option_are_warnings()
    {
        var loaded = Load([], new Dictionary<string, string?>
        {
            ["Retries"] = "2",
            ["Interfaces:0"] = "eth0",
            ["Server:ConectTimeout"] = "1s",
            ["Server"] = null,
        });

        loaded.IsValid.Should().BeTrue();
        loaded.Warnings.Should().ContainSingle().Which.Should().Contain("\"Server:ConectTimeout\"");
    }

    [Fact]
    public void Lists_come_from_json_arrays_commas_or_repeated_flags()
    {
        Load([], new Dictionary<string, string?> { ["Interfaces:0"] = "eth0", ["Interfaces:1"] = "eth1" })
            .Get<SampleOptions>().Interfaces.Should().Equal("eth0", "eth1");
        Load(["--interfaces", "eth0,eth1"]).Get<SampleOptions>().Interfaces.Should().Equal("eth0", "eth1");
        Load(["--interfaces", "eth0", "--interfaces", "eth1"]).Get<SampleOptions>().Interfaces.Should().Equal("eth0", "eth1");
    }

    [Fact]
    public void Unreadable_values_name_the_source_and_the_expected_form_and_are_not_judged_again()
    {
        var loaded = Load(["--tick-interval", "soon"], env: new Dictionary<string, string> { ["BEACON_MODE"] = "reckless" });

        loaded.Problems.Should().HaveCount(2);
        loaded.Problems.Should().ContainSingle(p => p.Path == "TickInterval")
            .Which.Problem.Should().Be("cannot read 'soon' (from --tick-interval) as duration (e.g. 100ms, 5s, 1m)");
        loaded.Problems.Should().ContainSingle(p => p.Path == "Mode")
            .Which.Problem.Should().Contain("from BEACON_MODE").And.Contain("fast|careful");
    }

    [Fact]
    public void Validation_runs_on_nested_sections_with_qualified_paths()
    {
        var loaded = Load(["--server-connect-timeout", "-1s", "--retries", "11"]);

        loaded.Problems.Select(p => p.Path).Should().BeEquivalentTo("Server:ConnectTimeout", "Retries");
    }

    [Fact]
    public void Unknown_options_stray_words_and_missing_values_are_problems()
    {
        var loaded = Load(["--retires", "3", "oops", "--name"]);

        loaded.Problems.Select(p => p.Problem).Should().BeEquivalentTo(
            "unknown option --retires", "unexpected argument 'oops'", "--name needs a value");
    }

    [Fact]
    public void Help_is_recognised_in_any_position_and_other_problems_still_reported()
    {
        Load(["--retries", "2", "-h"]).HelpRequested.Should().BeTrue();
        Load(["--help"]).HelpRequested.Should().BeTrue();
        Load([]).HelpRequested.Should().BeFalse();
    }

    [Fact]
    public void Computed_properties_are_not_options()
    {
        Catalog.Find("display").Should().BeNull();
        Catalog.Options.Select(o => o.Flag).Should().Contain(["--tick-interval", "--server-urls", "--server-connect-timeout"]);
    }

    [Fact]
    public void Every_option_is_reachable_by_its_flag_its_environment_variable_and_its_path()
    {
        foreach (var option in Catalog.Options)
        {
            Catalog.Find(option.Flag[2..]).Should().BeSameAs(option);
            Catalog.Find(option.EnvironmentVariable[OptionNames.EnvironmentPrefix.Length..]).Should().BeSameAs(option);
            Catalog.Find(option.Path).Should().BeSameAs(option);
        }
    }

    [Fact]
    public void Malformed_appsettings_file_is_reported_not_thrown()
    {
        var dir = Directory.CreateTempSubdirectory("beacon-options-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "appsettings.json"), "{ \"Retries\": ");
            var loaded = OptionsLoader.Load(Catalog, [], dir.FullName);

            loaded.IsValid.Should().BeFalse();
            loaded.Problems.Should().ContainSingle(p => p.Path.EndsWith("appsettings.json", StringComparison.Ordinal));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Appsettings_file_next_to_the_program_is_read()
    {
        var dir = Directory.CreateTempSubdirectory("beacon-options-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "appsettings.json"), """{ "Retries": 9, "Server": { "Urls": ["nats://j:1"] } }""");
            var options = OptionsLoader.Load(Catalog, [], dir.FullName).Get<SampleOptions>();

            options.Retries.Should().Be(9);
            options.Server.Urls.Should().Equal("nats://j:1");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Catalog_rejects_two_options_with_the_same_spelling()
    {
        var act = () => OptionCatalog.For<ClashingOptions>();

        act.Should().Throw<InvalidOperationException>().WithMessage("*--server-port*");
    }

    [Fact]
    public void Catalog_rejects_option_types_it_cannot_read()
    {
        var act = () => OptionCatalog.For<UnreadableOptions>();

        act.Should().Throw<InvalidOperationException>().WithMessage("*Endpoint*");
    }

    public sealed class ClashingOptions : IOptionSection
    {
        public int ServerPort { get; set; }

        public PortSection Server { get; set; } = new();
    }

    public sealed class PortSection : IOptionSection
    {
        public int Port { get; set; }
    }

    public sealed class UnreadableOptions : IOptionSection
    {
        public System.Net.IPEndPoint? Endpoint { get; set; }
    }
}
