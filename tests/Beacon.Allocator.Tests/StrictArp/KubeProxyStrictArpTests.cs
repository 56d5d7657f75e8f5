using Beacon.Allocator.Kubernetes;

namespace Beacon.Allocator.Tests.StrictArp;

/// <summary>kube-proxy's config.conf as kubeadm writes it, in the shapes the seeds show, and what Beacon says about each.</summary>
public sealed class KubeProxyStrictArpTests
{
    // kubeadm's default KubeProxyConfiguration, abridged (v1.26, as in seed 004), with mode and strictARP as given.
    private static string Kubeadm(string mode, string strictArp) => $$"""
        apiVersion: kubeproxy.config.k8s.io/v1alpha1
        bindAddress: 0.0.0.0
        bindAddressHardFail: false
        clientConnection:
          acceptContentTypes: ""
          burst: 0
          contentType: ""
          kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
          qps: 0
        clusterCIDR: 10.33.0.0/17
        configSyncPeriod: 0s
        conntrack:
          maxPerCore: null
          min: null
        iptables:
          masqueradeAll: false
          minSyncPeriod: 0s
          syncPeriod: 0s
        ipvs:
          excludeCIDRs: null
          minSyncPeriod: 0s
          scheduler: ""
          strictARP: {{strictArp}}
          syncPeriod: 0s
          tcpFinTimeout: 0s
          tcpTimeout: 0s
          udpTimeout: 0s
        kind: KubeProxyConfiguration
        metricsBindAddress: ""
        mode: {{mode}}
        nodePortAddresses: null
        oomScoreAdj: null
        portRange: ""
        showHiddenMetrics: ""
        udpIdleTimeout: 0s
        winkernel:
          enableDSR: false
          networkName: ""
          sourceVip: ""
        """;

    [Fact]
    public void Ipvs_without_strictARP_names_the_exact_fix_the_seeds_run_by_hand()
    {
        var problem = KubeProxyStrictArp.Problem(Kubeadm("ipvs", "false"));
        problem.Should().Contain("IPVS mode with strictARP false").And.Contain(
            "kubectl get configmap kube-proxy -n kube-system -o yaml | sed -e \"s/strictARP: false/strictARP: true/\" | kubectl apply -f - -n kube-system");
    }

    [Theory]
    [InlineData("\"ipvs\"", "true")]
    [InlineData("ipvs", "true")]
    [InlineData("\"\"", "false")]
    [InlineData("iptables", "false")]
    [InlineData("nftables", "false")]
    public void Ipvs_with_strictARP_or_any_other_mode_is_fine(string mode, string strictArp) =>
        KubeProxyStrictArp.Problem(Kubeadm(mode, strictArp)).Should().BeNull();

    [Fact]
    public void The_seed_000_snippet_with_strictARP_set_is_fine_and_without_it_is_not()
    {
        const string Seed000 = """
            apiVersion: kubeproxy.config.k8s.io/v1alpha1
            kind: KubeProxyConfiguration
            mode: "ipvs"
            ipvs:
              strictARP: true
            """;
        KubeProxyStrictArp.Problem(Seed000).Should().BeNull();
        KubeProxyStrictArp.Problem("kind: KubeProxyConfiguration\nmode: ipvs\n").Should().Contain("strictARP unset");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("just a string")]
    public void No_configuration_is_no_finding(string? conf) => KubeProxyStrictArp.Problem(conf).Should().BeNull();

    [Fact]
    public void Malformed_yaml_is_reported_as_such_not_thrown()
    {
        KubeProxyStrictArp.Problem("mode: ipvs\nipvs: [strictARP: true\n").Should().Contain("is not YAML");
    }
}
