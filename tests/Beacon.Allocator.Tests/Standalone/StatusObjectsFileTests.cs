using System.Text.Json.Nodes;
using Beacon.Allocator.Formats.Status;
using Beacon.Allocator.Standalone;
using Beacon.Ipam;

namespace Beacon.Allocator.Tests.Standalone;

/// <summary>The standalone Allocator's status objects file: the objects a cluster would hold, as a List beside the state file.</summary>
public sealed class StatusObjectsFileTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void It_lives_beside_the_state_file_and_lists_the_announcement_statuses_then_the_configuration_state()
    {
        var announcements = ServiceAnnouncementStatusBuilder.Build(
            [
                new AnnouncingNode(new ServiceKey("demo", "web"), "node1", "198.19.20.0", "kube-lb0", false, ["router"]),
                new AnnouncingNode(new ServiceKey("demo", "intranet"), "node1", "198.18.0.200", "eth0", true),
            ],
            "beacon-system");
        var state = ConfigurationStateBuilder.Build([new RejectedResource("IPAddressPool metallb-system/bad", "a.yaml:3", ["spec.addresses[0]: not an address"])], null, Now);

        new StatusObjectsFile("/var/lib/beacon/allocations.json").Path.Should().Be("/var/lib/beacon/allocations.status.json");
        var list = JsonNode.Parse(StatusObjectsFile.Render(new StatusObjects(announcements, state, false), "beacon-system"))!;

        list["kind"]!.GetValue<string>().Should().Be("List");
        var items = list["items"]!.AsArray();
        items.Select(i => i!["kind"]!.GetValue<string>()).Should().Equal("ServiceL2Status", "ServiceBGPStatus", "ConfigurationState");
        items[1]!["status"]!["peers"]!.AsArray().Select(p => p!.GetValue<string>()).Should().Equal("router");
        items[1]!["metadata"]!["labels"]!["metallb.io/service-name"]!.GetValue<string>().Should().Be("web");
        items[0]!["status"]!["interfaces"]![0]!["name"]!.GetValue<string>().Should().Be("eth0");
        items[2]!["metadata"]!["name"]!.GetValue<string>().Should().Be("controller");
        items[2]!["status"]!["result"]!.GetValue<string>().Should().Be("Invalid");
        items[2]!["status"]!["errorSummary"]!.GetValue<string>().Should().Contain("IPAddressPool metallb-system/bad");
    }

    [Fact]
    public void Saving_replaces_the_file_and_leaves_no_temporary_file()
    {
        var directory = Directory.CreateTempSubdirectory("beacon-status-");
        try
        {
            var file = new StatusObjectsFile(Path.Combine(directory.FullName, "state.json"));
            file.Save("{\"a\":1}");
            file.Save("{\"a\":2}");

            File.ReadAllText(file.Path).Should().Be("{\"a\":2}");
            directory.GetFiles().Select(f => f.Name).Should().Equal("state.status.json");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
