using Beacon.TestSupport.Netns;

namespace Beacon.Lab.Tests;

/// <summary>The namespace fixture every kernel-level test builds on: hosts talk over a segment, nothing is left behind.</summary>
public sealed class LabFixtureTests
{
    [Fact]
    public async Task Hosts_on_a_segment_reach_each_other_and_disposal_leaves_no_namespace()
    {
        string prefix;
        await using (var lab = await NetLab.CreateAsync())
        {
            prefix = lab.Id;
            var lan = await lab.AddSegmentAsync("lan");
            var a = await lab.AddHostAsync("a");
            var b = await lab.AddHostAsync("b");
            await lan.AttachAsync(a, "eth0", "198.18.0.1/24", "fd00:beac::1/64");
            var macB = await lan.AttachAsync(b, "eth0", "198.18.0.2/24", "fd00:beac::2/64");

            (await a.ExecAsync("ping", "-c1", "-W2", "198.18.0.2")).EnsureSuccess();
            (await a.ExecAsync("ping", "-6", "-c1", "-W2", "fd00:beac::2")).EnsureSuccess();
            var neighbours = await a.IpAsync("neigh", "show", "198.18.0.2");
            neighbours.StandardOutput.Should().Contain(macB);
        }

        var left = await HostCommand.RunAsync("ip", "netns", "list");
        left.StandardOutput.Should().NotContain(prefix + "-");
    }

    [Fact]
    public async Task Processes_started_in_a_namespace_die_with_it()
    {
        BackgroundProcess sleeper;
        await using (var lab = await NetLab.CreateAsync())
        {
            var host = await lab.AddHostAsync("h");
            sleeper = host.Start("sleep", ["300"]);
            sleeper.HasExited.Should().BeFalse();
        }

        sleeper.HasExited.Should().BeTrue();
    }

    [Fact]
    public void Janitor_only_claims_namespaces_named_by_our_convention()
    {
        NetnsJanitor.OwnerPid("bcn1234-7-node1").Should().Be(1234);
        NetnsJanitor.OwnerPid("bcn-lab-node1").Should().BeNull();
        NetnsJanitor.OwnerPid("someone-elses").Should().BeNull();
    }
}
