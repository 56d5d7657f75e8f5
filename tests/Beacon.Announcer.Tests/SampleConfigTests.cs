using Beacon.Announcer.Modes.Bird;
using Beacon.TestSupport.Daemons;
using Beacon.TestSupport.Netns;

namespace Beacon.Announcer.Tests;

/// <summary>The sample node and router configs in docs/samples are accepted by the daemons they are written for.</summary>
public sealed class SampleConfigTests
{
    private static readonly string Samples = Path.Combine(RepositoryRoot(), "docs", "samples");

    [Fact]
    public async Task BIRD_samples_parse_with_the_include_the_bird_mode_writes()
    {
        var directory = DaemonDirectory.Create("bird-samples");
        try
        {
            var include = Path.Combine(directory, "beacon.conf");
            await File.WriteAllTextAsync(include, BirdConfigRenderer.Render([], "beacon", "node1"));
            var node = Path.Combine(directory, "node-bird.conf");
            var text = await File.ReadAllTextAsync(Path.Combine(Samples, "bird", "node-bird.conf"));
            text.Should().Contain("include \"/etc/bird/beacon.conf\";", "the sample includes the bird mode's default path");
            await File.WriteAllTextAsync(node, text.Replace("/etc/bird/beacon.conf", include, StringComparison.Ordinal));

            (await HostCommand.RunAsync("bird", "-p", "-c", node)).EnsureSuccess();
            (await HostCommand.RunAsync("bird", "-p", "-c", Path.Combine(Samples, "bird", "router-bird.conf"))).EnsureSuccess();
        }
        finally
        {
            DaemonDirectory.TryDelete(directory);
        }
    }

    [Theory]
    [InlineData("node-frr.conf")]
    [InlineData("router-frr.conf")]
    public async Task FRR_samples_pass_vtysh_dry_run(string file)
    {
        (await HostCommand.RunAsync("vtysh", "-C", "-f", Path.Combine(Samples, "frr", file))).EnsureSuccess();
    }

    [Fact]
    public async Task GoBGP_sample_passes_gobgpd_dry_run()
    {
        (await HostCommand.RunAsync("gobgpd", "-d", "-f", Path.Combine(Samples, "gobgp", "node-gobgpd.toml"))).EnsureSuccess();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Suite.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Suite.sln not found above " + AppContext.BaseDirectory);
    }
}
