using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Contracts;
using Beacon.Hosting.Options;

namespace Beacon.Allocator.Formats.PureLbV2;

/// <summary>
/// An accepted LBNodeAgent (v1 or v2 spellings) as the node agents get it on the bus: only what the object writes, so
/// a field it leaves out keeps the node agent's own option rather than PureLB's default. Call only for an object
/// <see cref="LBNodeAgentV2Translator"/> accepted. Pure.
/// </summary>
internal static class NodeAgentConfigMapper
{
    public static NodeAgentConfig Map(string name, JsonObject? spec)
    {
        var parsed = (spec ?? []).Deserialize(PureLbV2JsonContext.Default.LBNodeAgentV2Spec) ?? new LBNodeAgentV2Spec();
        var selector = parsed.NodeSelector?.ToSelector();
        var local = parsed.Local;
        var garp = local?.GarpConfig;
        var lifetimes = local?.AddressConfig?.LocalInterface;
        return new NodeAgentConfig(
            name,
            selector is null || (selector.MatchLabels.Count == 0 && selector.MatchExpressions.Count == 0)
                ? null
                : new NodeSelector(selector.MatchLabels, [.. selector.MatchExpressions.Select(e => new NodeSelectorRequirement(e.Key, e.Operator, e.Values))]),
            HasLocal: local is not null,
            Text(local?.LocalInterface) ?? Text(local?.LocalInt),
            Text(local?.DummyInterface) ?? Text(local?.ExtLbInt),
            local?.Interfaces ?? [],
            garp?.Enabled ?? local?.SendGarp,
            garp?.Count,
            Milliseconds(garp?.Interval),
            Milliseconds(garp?.InitialDelay),
            lifetimes?.ValidLifetime,
            lifetimes?.PreferredLifetime);
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static int? Milliseconds(string? text) =>
        text is not null && DurationText.TryParse(text, out var value) ? (int)Math.Min(int.MaxValue, value.TotalMilliseconds) : null;
}
