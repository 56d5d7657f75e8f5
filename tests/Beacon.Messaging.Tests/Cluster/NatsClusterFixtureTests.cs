using Beacon.TestSupport.Nats;
using Beacon.TestSupport.Netns;

namespace Beacon.Messaging.Tests.Cluster;

/// <summary>The cluster fixture inside a caller's lab: lab hosts on its LAN reach every server.</summary>
public sealed class NatsClusterFixtureTests
{
    [Fact]
    public async Task A_host_attached_to_the_cluster_lan_of_a_callers_lab_reaches_every_server_and_they_agree_on_a_meta_leader()
    {
        await using var lab = await NetLab.CreateAsync();
        await using var cluster = await NatsCluster.StartAsync(lab: lab);
        var node = await lab.AddHostAsync("node");
        await cluster.Lan.AttachAsync(node, "eth0", "198.18.250.100/24");

        foreach (var url in cluster.NamespaceClientUrls.Split(','))
        {
            var endpoint = new Uri(url);
            // A NATS server greets every client with its INFO line.
            var greeting = await node.ExecAsync("timeout", "5", "bash", "-c", $"exec 3<>/dev/tcp/{endpoint.Host}/{endpoint.Port}; head -c 5 <&3");
            greeting.StandardOutput.Should().Be("INFO ", $"{url} from the lab host ({greeting.StandardError})");
        }

        var leader = await cluster.MetaLeaderAsync();
        cluster.Members.Select(m => m.Name).Should().Contain(leader);
        (await cluster.ViewsAsync()).Should().HaveCount(3).And.OnlyContain(v => v.MetaLeader == leader);
    }
}
