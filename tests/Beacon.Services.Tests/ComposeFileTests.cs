using System.Text.RegularExpressions;
using Beacon.TestSupport.Processes;
using YamlDotNet.RepresentationModel;

namespace Beacon.Services.Tests;

/// <summary>
/// compose/docker-compose.yml cannot be started here (no Docker engine), so it is checked against the services
/// themselves: every option and BEACON_* variable it sets is one the service's --help lists, and what it mounts exists.
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly string ComposeDirectory = Path.Combine(ServiceBinaries.RepositoryRoot, "compose");

    public static TheoryData<string, string> ComposeServices => new()
    {
        { "allocator", "Allocator" },
        { "nodeagent", "NodeAgent" },
        { "announcer", "Announcer" },
    };

    [Theory]
    [MemberData(nameof(ComposeServices))]
    public async Task Every_option_and_BEACON_variable_the_compose_file_sets_exists_in_the_service(string composeService, string service)
    {
        var help = await HelpAsync(service);
        var definition = Service(composeService);

        var flags = Sequence(definition, "command").Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToList();
        flags.Should().NotBeEmpty();
        flags.Should().OnlyContain(f => help.Flags.Contains(f), $"{service} --help lists {string.Join(" ", help.Flags)}");

        var variables = Mapping(definition, "environment").Keys.Where(k => k.StartsWith("BEACON_", StringComparison.Ordinal)).ToList();
        variables.Should().OnlyContain(v => help.Variables.Contains(v), $"{service} --help lists {string.Join(" ", help.Variables)}");
    }

    [Fact]
    public void Every_file_and_directory_the_compose_file_mounts_exists()
    {
        var services = (YamlMappingNode)Root().Children[new YamlScalarNode("services")];
        var sources = services.Children.Values.OfType<YamlMappingNode>()
            .SelectMany(s => Sequence(s, "volumes"))
            .Where(v => v.StartsWith("./", StringComparison.Ordinal))
            .Select(v => v.Split(':')[0])
            .ToList();

        sources.Should().Contain("./manifests");
        sources.Should().OnlyContain(s => File.Exists(Path.Combine(ComposeDirectory, s)) || Directory.Exists(Path.Combine(ComposeDirectory, s)));
    }

    [Fact]
    public void The_allocator_reads_the_mounted_sample_manifests_with_groups_and_services()
    {
        var allocator = Service("allocator");
        var command = Sequence(allocator, "command");
        var directory = command[command.IndexOf("--manifests-directory") + 1];
        Sequence(allocator, "volumes").Should().Contain($"./manifests:{directory}:ro");

        var texts = Directory.GetFiles(Path.Combine(ComposeDirectory, "manifests"), "*.yaml").Select(File.ReadAllText).ToList();
        texts.Should().Contain(t => t.Contains("kind: ServiceGroup", StringComparison.Ordinal));
        texts.Should().Contain(t => t.Contains("kind: Service\n", StringComparison.Ordinal));
    }

    [Fact]
    public void The_nats_container_gets_every_password_its_authorization_file_uses()
    {
        var authorization = File.ReadAllText(Path.Combine(ComposeDirectory, "nats", "authorization.conf"));
        var used = PasswordVariable().Matches(authorization).Select(m => m.Groups[1].Value).Distinct().ToList();

        used.Should().NotBeEmpty();
        Mapping(Service("nats"), "environment").Keys.Should().Contain(used);
    }

    private static async Task<(HashSet<string> Flags, HashSet<string> Variables)> HelpAsync(string service)
    {
        await using var process = await ServiceProcess.RunToExitAsync(service, ["--help"], TimeSpan.FromSeconds(60));
        var lines = process.StandardOutput;
        var flags = lines.Select(l => FlagLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var variables = lines.Select(l => EnvLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        flags.Should().NotBeEmpty(process.Transcript);
        return (flags, variables);
    }

    private static YamlMappingNode Root()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(ComposeDirectory, "docker-compose.yml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Service(string name) =>
        (YamlMappingNode)((YamlMappingNode)Root().Children[new YamlScalarNode("services")]).Children[new YamlScalarNode(name)];

    private static List<string> Sequence(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlSequenceNode sequence
            ? sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? string.Empty).ToList()
            : [];

    private static Dictionary<string, string> Mapping(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlMappingNode mapping
            ? mapping.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value ?? string.Empty, kv => (kv.Value as YamlScalarNode)?.Value ?? string.Empty)
            : [];

    [GeneratedRegex(@"^  (--[a-z0-9-]+)\b")]
    private static partial Regex FlagLine();

    [GeneratedRegex(@"env: (BEACON_[A-Z0-9_]+)")]
    private static partial Regex EnvLine();

    [GeneratedRegex(@"password: \$([A-Z][A-Z0-9_]*)")]
    private static partial Regex PasswordVariable();
}
