using System.Text;
using System.Text.RegularExpressions;
using Beacon.Contracts;
using Beacon.Messaging.Tests.Security;

namespace Beacon.Messaging.Tests.ContractTests;

/// <summary>docs/events.md has one example per event type, and each example decodes as that type.</summary>
public sealed partial class EventsDocumentTests
{
    [Fact]
    public async Task Every_event_type_has_one_example_that_decodes()
    {
        var text = await File.ReadAllTextAsync(RepositoryFiles.Path("docs/events.md"));
        var examples = Example().Matches(text).ToDictionary(m => m.Groups["type"].Value, m => m.Groups["json"].Value);

        examples.Keys.Should().BeEquivalentTo(
            EventTypes.AllocationChanged.WireName,
            EventTypes.AllocationReleased.WireName,
            EventTypes.NodeHeartbeat.WireName,
            EventTypes.Announcement.WireName,
            EventTypes.NodeStatus.WireName,
            EventTypes.BgpPeers.WireName,
            EventTypes.NodeAgentConfig.WireName);
        Decodes(examples, EventTypes.AllocationChanged);
        Decodes(examples, EventTypes.AllocationReleased);
        Decodes(examples, EventTypes.NodeHeartbeat);
        Decodes(examples, EventTypes.Announcement);
        Decodes(examples, EventTypes.NodeStatus);
        Decodes(examples, EventTypes.BgpPeers);
        Decodes(examples, EventTypes.NodeAgentConfig);
    }

    private static void Decodes<T>(Dictionary<string, string> examples, EventType<T> type)
    {
        var decoded = CloudEventCodec.Decode(Encoding.UTF8.GetBytes(examples[type.WireName]), type);
        decoded.Error.Should().BeNull($"the {type.WireName} example must decode");
    }

    [GeneratedRegex(@"^### \w+ — `(?<type>[^`]+)`.*?```json\n(?<json>.*?)\n```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Example();
}
