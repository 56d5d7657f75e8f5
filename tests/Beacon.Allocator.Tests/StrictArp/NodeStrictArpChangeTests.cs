using Beacon.Allocator.Nodes;
using Beacon.Contracts;

namespace Beacon.Allocator.Tests.StrictArp;

/// <summary>Which nodes' strictARP findings become Events: new or changed problems, and problems fixed; nothing else.</summary>
public sealed class NodeStrictArpChangeTests
{
    private const string Problem = "kube-proxy runs in IPVS mode (kube-ipvs0 exists) without strictARP: arp_ignore=0 (needs 1)";

    [Fact]
    public void A_new_problem_is_reported_and_a_node_that_never_had_one_is_not()
    {
        var changes = NodeStrictArpChange.Between(new Dictionary<string, string>(), new Dictionary<string, string?> { ["n1"] = Problem, ["n2"] = null });

        changes.Should().Equal(new NodeStrictArpChange("n1", Problem));
    }

    [Fact]
    public void The_same_problem_again_is_not_reported_a_different_one_is()
    {
        var reported = new Dictionary<string, string> { ["n1"] = Problem, ["n2"] = Problem };

        var changes = NodeStrictArpChange.Between(reported, new Dictionary<string, string?> { ["n1"] = Problem, ["n2"] = Problem + ", arp_announce=0 (needs 2)" });

        changes.Should().Equal(new NodeStrictArpChange("n2", Problem + ", arp_announce=0 (needs 2)"));
    }

    [Fact]
    public void A_reported_problem_that_is_gone_is_reported_fixed_but_a_node_not_heard_of_any_more_is_not()
    {
        var reported = new Dictionary<string, string> { ["n1"] = Problem, ["n2"] = Problem };

        var changes = NodeStrictArpChange.Between(reported, new Dictionary<string, string?> { ["n1"] = null });

        changes.Should().Equal(new NodeStrictArpChange("n1", null));
    }

    [Fact]
    public void Findings_signal_a_change_only_when_a_node_says_something_new()
    {
        var findings = new NodeStrictArpFindings();
        var at = DateTimeOffset.UnixEpoch;

        findings.Record(new NodeStatusReport("n1", [], at)).Should().BeFalse("a node with nothing wrong is no news");
        findings.Record(new NodeStatusReport("n1", [], at, Problem)).Should().BeTrue();
        findings.Record(new NodeStatusReport("n1", [], at.AddSeconds(1), Problem)).Should().BeFalse("a status republished after announcements");
        findings.Record(new NodeStatusReport("n1", [], at, null)).Should().BeTrue();

        findings.Snapshot().Should().Equal(new Dictionary<string, string?> { ["n1"] = null });
    }

    [Fact]
    public async Task Waiting_for_a_change_ends_at_a_change_already_signalled()
    {
        var findings = new NodeStrictArpFindings();
        findings.Record(new NodeStatusReport("n1", [], DateTimeOffset.UnixEpoch, Problem));

        var wait = findings.WaitForChangeAsync(TimeSpan.FromHours(1), TimeProvider.System, CancellationToken.None);

        (await Task.WhenAny(wait, Task.Delay(TimeSpan.FromSeconds(30)))).Should().BeSameAs(wait);
    }
}
