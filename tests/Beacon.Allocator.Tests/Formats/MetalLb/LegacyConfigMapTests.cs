using static Beacon.Allocator.Tests.Formats.MetalLb.MetalLbManifests;
using static Beacon.Allocator.Tests.KubeObjects;

namespace Beacon.Allocator.Tests.Formats.MetalLb;

/// <summary>MetalLB ≤ 0.12's ConfigMap metallb-system/config, read directly.</summary>
public sealed class LegacyConfigMapTests
{
    private static string ConfigMap(string config, string name = "config", string ns = "metallb-system") =>
        $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: {ns}\n  name: {name}\ndata:\n  config: |\n"
        + string.Concat(config.Split('\n').Select(l => "    " + l + "\n"));

    [Fact]
    public void Layer2_and_bgp_pools_with_their_options_become_groups_and_announcements()
    {
        var translation = Translate(ConfigMap("""
            peers:
            - peer-address: 10.0.0.1
              peer-asn: 64501
              my-asn: 64500
              hold-time: 120s
              node-selectors:
              - match-labels: { rack: a }
            bgp-communities:
              no-advertise: 65535:65282
            address-pools:
            - name: l2
              protocol: layer2
              addresses: [192.168.1.240/28]
            - name: routed
              protocol: bgp
              auto-assign: false
              avoid-buggy-ips: true
              addresses: [198.51.100.0/24]
              bgp-advertisements:
              - aggregation-length: 32
                localpref: 100
                communities: [no-advertise]
              - aggregation-length: 24
            - name: default-bgp
              protocol: bgp
              addresses: [203.0.113.0/28]
            """));

        translation.Problems.Should().BeEmpty();
        translation.Pools.Select(p => (p.Name, p.Kind, p.AutoAssign, p.AvoidBuggyIPs)).Should().Equal(
            ("l2", "MetalLB ConfigMap address-pool", true, false),
            ("routed", "MetalLB ConfigMap address-pool", false, true),
            ("default-bgp", "MetalLB ConfigMap address-pool", true, false));
        translation.Announcements["l2"].Layer2.Should().ContainSingle();
        translation.Announcements["l2"].Bgp.Should().BeEmpty();
        var routed = translation.Announcements["routed"].Bgp;
        routed.Select(b => (b.AggregationLength, b.LocalPref)).Should().Equal((32, 100u), (24, (uint?)null));
        routed[0].Communities.Should().Equal("65535:65282");
        routed[0].Peers.Single().Should().Match<Contracts.BgpPeerConfig>(p => p.PeerAsn == 64501 && p.MyAsn == 64500 && p.HoldTime == "120s"
                                                                             && p.NodeSelectors.Single().MatchLabels["rack"] == "a");

        // protocol: bgp without bgp-advertisements: MetalLB's default, host routes to every peer.
        translation.Announcements["default-bgp"].Bgp.Should().ContainSingle().Which.AggregationLength.Should().BeNull();
    }

    [Fact]
    public void Malformed_YAML_inside_the_ConfigMap_is_a_problem_at_the_files_line_not_a_crash()
    {
        var (snapshot, translation) = Read(("metallb.yaml", ConfigMap("address-pools:\n- name: x\n  protocol: layer2\n  addresses: [10.0.0.0/24\n")));

        snapshot.Problems.Should().BeEmpty();
        translation.Pools.Should().BeEmpty();
        var problem = translation.Problems.Should().ContainSingle().Subject;
        problem.Resource.Should().Be("ConfigMap metallb-system/config");
        problem.Message.Should().StartWith("invalid YAML");
        // "config: |" is line 7; the unclosed flow sequence opens on line 4 of the block and fails at its end.
        int.Parse(problem.At.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(11, 13);
    }

    [Theory]
    [InlineData("address-pools:\n- name: x\n  addresses: [10.0.0.0/24]", "address-pools[0] (x)", "protocol", "is required")]
    [InlineData("address-pools:\n- name: x\n  protocol: ospf\n  addresses: [10.0.0.0/24]", "address-pools[0] (x)", "protocol", "'ospf' is not layer2 or bgp")]
    [InlineData("address-pools:\n- protocol: layer2\n  addresses: [10.0.0.0/24]", "address-pools[0]", "name", "is required")]
    [InlineData("address-pools:\n- name: x\n  protocol: layer2\n  addresses: [10.0.0.0/24]\n  bgp-advertisements: [{aggregation-length: 32}]", "address-pools[0] (x)", "bgp-advertisements", "only allowed with protocol: bgp")]
    public void Invalid_pools_are_rejected_with_their_line(string config, string what, string field, string message)
    {
        var translation = Translate(ConfigMap(config));

        translation.Pools.Should().BeEmpty();
        translation.Problems.Should().ContainSingle().Which.Should().Match<Allocator.Formats.ForeignProblem>(p =>
            p.Resource == "ConfigMap metallb-system/config " + what && p.Field == field && p.Message.Contains(message) && p.At.StartsWith("metallb.yaml:", StringComparison.Ordinal));
    }

    [Fact]
    public void Other_ConfigMaps_are_ignored_silently_and_an_unknown_key_is_a_warning()
    {
        var (snapshot, translation) = Read(
            ("other.yaml", ConfigMap("address-pools: []", name: "kube-proxy", ns: "kube-system")),
            ("metallb.yaml", ConfigMap("address-pool:\n- name: typo\n")));

        snapshot.Problems.Should().BeEmpty();
        translation.Pools.Should().BeEmpty();
        var problem = translation.Problems.Should().ContainSingle().Subject;
        problem.Rejected.Should().BeFalse();
        problem.Field.Should().Be("address-pool");
        problem.At.Should().Be("metallb.yaml:8");
    }

    [Fact]
    public void Seed_001_reads_without_problems_and_its_Service_gets_the_first_address()
    {
        var text = File.ReadAllText(RepositoryRoot.Combine("tests", "Beacon.Allocator.Tests", "Formats", "MetalLb", "Fixtures", "seed-001-legacy-configmap.yaml"));
        var (snapshot, translation) = Read(("seed-001.yaml", text));

        snapshot.Problems.Should().BeEmpty();
        translation.Problems.Should().BeEmpty();
        translation.Pools.Single().V4Pools.Single().Pool.Should().Be("198.18.10.230-198.18.10.235");
        var (engine, result) = Engine(translation);
        result.Errors.Should().BeEmpty();
        Allocate(engine, snapshot.Services["ingress-nginx/ingress-nginx-controller"]).Should().Equal("198.18.10.230");
        engine.AnnouncementOf("my-ip-space")!.Layer2.Should().ContainSingle();
    }

    [Fact]
    public void Seed_002_reads_without_problems_and_its_annotated_Service_gets_an_address_announced_from_node_1_on_eth0()
    {
        var text = File.ReadAllText(RepositoryRoot.Combine("tests", "Beacon.Allocator.Tests", "Formats", "MetalLb", "Fixtures", "seed-002-ipaddresspool-l2.yaml"));
        var (snapshot, translation) = Read(("seed-002.yaml", text));

        snapshot.Problems.Should().BeEmpty();
        translation.Problems.Should().BeEmpty();
        var (engine, _) = Engine(translation);
        var service = snapshot.Services["default/nginx"];
        // avoidBuggyIPs: 198.18.10.240/29 holds no .0/.255, so the lowest address comes first.
        Allocate(engine, service).Should().Equal("198.18.10.240");
        Allocate(engine, Service("unlabelled")).Should().BeEmpty("autoAssign: false and no pool annotation");
        var l2 = engine.AnnouncementOf("first-pool")!.Layer2.Single();
        l2.Interfaces.Should().Equal("eth0");
        l2.NodeSelectors.Single().MatchLabels["kubernetes.io/hostname"].Should().Be("node-1");
    }
}
