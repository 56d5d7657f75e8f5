using Beacon.NodeAgent.Domain;
using StrictArpRules = Beacon.NodeAgent.Domain.StrictArp;
using FsCheck;
using FsCheck.Xunit;

namespace Beacon.NodeAgent.Tests.Arp;

/// <summary>When IPVS without strictARP makes layer 2 unsafe on a node, and what the agent tells the operator.</summary>
public sealed class StrictArpTests
{
    [Fact]
    public void Ipvs_with_the_kernel_defaults_is_a_problem_naming_the_settings_and_the_exact_fix()
    {
        var problem = StrictArpRules.Problem(new ArpSettings(IpvsLinkPresent: true, 0, 0, 0, 0));
        problem.Should().Contain("kube-ipvs0").And.Contain("arp_ignore=0").And.Contain("arp_announce=0");
        problem.Should().Contain(
            "kubectl get configmap kube-proxy -n kube-system -o yaml | sed -e \"s/strictARP: false/strictARP: true/\" | kubectl apply -f - -n kube-system");
    }

    [Fact]
    public void What_strictARP_sets_on_all_is_fine()
    {
        StrictArpRules.Problem(new ArpSettings(true, AllArpIgnore: 1, AllArpAnnounce: 2, 0, 0)).Should().BeNull();
    }

    [Fact]
    public void The_same_settings_on_the_announcing_interface_alone_are_fine_because_the_kernel_takes_the_larger()
    {
        StrictArpRules.Problem(new ArpSettings(true, 0, 0, InterfaceArpIgnore: 1, InterfaceArpAnnounce: 2)).Should().BeNull();
    }

    [Fact]
    public void Half_of_strictARP_is_still_a_problem()
    {
        StrictArpRules.Problem(new ArpSettings(true, 1, 0, 0, 0)).Should().Contain("arp_announce=0 (needs 2)");
        StrictArpRules.Problem(new ArpSettings(true, 0, 2, 0, 0)).Should().Contain("arp_ignore=0 (needs 1)");
    }

    [Property]
    public bool Without_the_ipvs_link_nothing_is_ever_reported(byte ignore, byte announce, byte ifIgnore, byte ifAnnounce) =>
        StrictArpRules.Problem(new ArpSettings(false, ignore, announce, ifIgnore, ifAnnounce)) is null;

    [Property]
    public bool With_ipvs_a_problem_is_reported_exactly_when_the_effective_settings_fall_short(byte ignore, byte announce, byte ifIgnore, byte ifAnnounce)
    {
        var safe = Math.Max(ignore, ifIgnore) >= 1 && Math.Max(announce, ifAnnounce) >= 2;
        return StrictArpRules.Problem(new ArpSettings(true, ignore, announce, ifIgnore, ifAnnounce)) is null == safe;
    }
}
