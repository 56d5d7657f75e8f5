using System.Text.Json;
using System.Text.Json.Nodes;
using Beacon.Hosting.Options;
using Beacon.Ipam;

namespace Beacon.Allocator.Formats.PureLbV2;

/// <summary>
/// Reads a <c>purelb.io/v2</c> (or v1) LBNodeAgent with PureLB's defaults and limits: localInterface "default",
/// dummyInterface "kube-lb0", garpConfig count 1–10 (3), initialDelay 100ms, interval 500ms, a local valid lifetime of
/// 0 (permanent) or at least 60 s (300 s), preferredLifetime not above validLifetime. Pure.
/// </summary>
internal static class LBNodeAgentV2Translator
{
    public static LBNodeAgentV2Translation Translate(JsonObject? spec)
    {
        LBNodeAgentV2Spec parsed;
        try
        {
            parsed = (spec ?? []).Deserialize(PureLbV2JsonContext.Default.LBNodeAgentV2Spec) ?? new LBNodeAgentV2Spec();
        }
        catch (JsonException e)
        {
            var path = e.Path is { Length: > 1 } p ? "spec" + p.TrimStart('$') : "spec";
            return new LBNodeAgentV2Translation(null, [new FieldProblem(path, e.Message.Split(" Path:")[0])]);
        }

        var problems = new List<FieldProblem>();
        var local = parsed.Local ?? new LBNodeAgentV2Local();
        var localInterface = Either(local.LocalInterface, local.LocalInt, "spec.local.localInterface", "localint", problems) ?? "default";
        var dummyInterface = Either(local.DummyInterface, local.ExtLbInt, "spec.local.dummyInterface", "extlbint", problems) ?? "kube-lb0";
        var garp = local.GarpConfig;
        var sendGarp = garp?.Enabled ?? local.SendGarp ?? true;
        if (garp?.Enabled is { } enabled && local.SendGarp is { } send && enabled != send)
        {
            problems.Add(new FieldProblem("spec.local.garpConfig.enabled", $"{(enabled ? "true" : "false")} contradicts v1's sendgarp: {(send ? "true" : "false")}"));
        }

        var count = garp?.Count ?? 3;
        if (count is < 1 or > 10)
        {
            problems.Add(new FieldProblem("spec.local.garpConfig.count", $"{count} is outside 1 to 10"));
        }

        var initialDelay = Duration(garp?.InitialDelay, "spec.local.garpConfig.initialDelay", TimeSpan.FromMilliseconds(100), problems);
        var interval = Duration(garp?.Interval, "spec.local.garpConfig.interval", TimeSpan.FromMilliseconds(500), problems);
        if (garp?.VerifyBeforeSend == false)
        {
            problems.Add(new FieldProblem("spec.local.garpConfig.verifyBeforeSend", "is ignored: a node agent always checks it still owns an address before announcing it", Rejected: false));
        }

        TimeSpan? validLifetime = TimeSpan.FromSeconds(300);
        if (local.AddressConfig?.LocalInterface is { } lifetimes)
        {
            var valid = lifetimes.ValidLifetime ?? 300;
            if (valid is < 0 or (> 0 and < 60))
            {
                problems.Add(new FieldProblem("spec.local.addressConfig.localInterface.validLifetime", $"{valid} must be 0 (permanent) or at least 60 seconds"));
            }

            if (lifetimes.PreferredLifetime is { } preferred && (preferred < 0 || (valid > 0 && preferred > valid)))
            {
                problems.Add(new FieldProblem("spec.local.addressConfig.localInterface.preferredLifetime", $"{preferred} must be between 0 and validLifetime ({valid})"));
            }

            validLifetime = valid == 0 ? null : TimeSpan.FromSeconds(valid);
            if (lifetimes.NoPrefixRoute == false)
            {
                problems.Add(new FieldProblem("spec.local.addressConfig.localInterface.noPrefixRoute", "is ignored: the node agent decides prefix routes from the pool's aggregation", Rejected: false));
            }
        }

        if (local.AddressConfig?.DummyInterface is not null)
        {
            problems.Add(new FieldProblem("spec.local.addressConfig.dummyInterface", "is ignored: addresses on the dummy interface are always permanent", Rejected: false));
        }

        var interfaces = local.Interfaces ?? [];
        for (var i = 0; i < interfaces.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(interfaces[i]) || interfaces[i].Length > 15 || interfaces[i].Contains('/', StringComparison.Ordinal))
            {
                problems.Add(new FieldProblem($"spec.local.interfaces[{i}]", $"'{interfaces[i]}' is not an interface name (1 to 15 characters, no '/')"));
            }
        }

        var selector = parsed.NodeSelector?.ToSelector() ?? LabelSelector.Everything;
        problems.AddRange(selector.Problems("spec.nodeSelector").Select(p => new FieldProblem("spec.nodeSelector", p)));
        if (problems.Any(p => p.Rejected))
        {
            return new LBNodeAgentV2Translation(null, problems);
        }

        return new LBNodeAgentV2Translation(
            new NodeAgentSettings(selector, localInterface, dummyInterface, interfaces, sendGarp, count, interval, initialDelay, validLifetime),
            problems);
    }

    private static string? Either(string? v2, string? v1, string path, string v1Name, List<FieldProblem> problems)
    {
        v2 = string.IsNullOrWhiteSpace(v2) ? null : v2.Trim();
        v1 = string.IsNullOrWhiteSpace(v1) ? null : v1.Trim();
        if (v2 is not null && v1 is not null && !string.Equals(v1, v2, StringComparison.Ordinal))
        {
            problems.Add(new FieldProblem(path, $"'{v2}' contradicts v1's {v1Name}: '{v1}'"));
        }

        return v2 ?? v1;
    }

    private static TimeSpan Duration(string? text, string path, TimeSpan fallback, List<FieldProblem> problems)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!DurationText.TryParse(text, out var value) || value < TimeSpan.Zero)
        {
            problems.Add(new FieldProblem(path, $"'{text}' is not a duration such as 100ms or 1s"));
            return fallback;
        }

        return value;
    }
}
