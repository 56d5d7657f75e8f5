namespace Beacon.Allocator.Formats.Status;

/// <summary>
/// The configuration-state object: Invalid while any resource of any format is rejected, naming each (kind, name,
/// file:line or "api", reasons), oldest problem first as the resources were read; warnings (fields not honoured) are
/// listed in the condition's message without making the configuration invalid. Pure.
/// </summary>
internal static class ConfigurationStateBuilder
{
    public const string ConditionType = "ConfigurationValid";

    public static ConfigurationState Build(IReadOnlyList<RejectedResource> problems, ConfigurationState? previous, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var rejected = problems.Where(p => p.Rejected).ToList();
        var warnings = problems.Where(p => !p.Rejected).ToList();
        var valid = rejected.Count == 0;
        var status = valid ? "True" : "False";
        var before = previous?.Conditions.FirstOrDefault(c => c.Type == ConditionType);
        var summary = valid ? null : string.Join("\n", rejected.Select(r => r.ToString()));
        var message = valid
            ? warnings.Count == 0 ? "every resource is in use" : "in use, with fields not honoured: " + string.Join("\n", warnings.Select(w => w.ToString()))
            : summary!;
        return new ConfigurationState
        {
            Result = valid ? ConfigurationState.Valid : ConfigurationState.Invalid,
            ErrorSummary = summary,
            Conditions =
            [
                new ConfigurationCondition(ConditionType, status, valid ? "Valid" : "ConfigurationError", message,
                    before?.Status == status ? before.LastTransitionTime : now),
            ],
        };
    }
}
