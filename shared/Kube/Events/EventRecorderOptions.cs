namespace Beacon.Kube.Events;

public sealed class EventRecorderOptions
{
    /// <summary>source.component and reportingComponent of recorded events.</summary>
    public string Component { get; set; } = "beacon";

    /// <summary>source.host; defaults to the machine name.</summary>
    public string? Host { get; set; }

    /// <summary>reportingInstance, e.g. the pod name.</summary>
    public string? Instance { get; set; }

    /// <summary>Identical events (object, type, reason, message) within this window bump the count of the existing Event.</summary>
    public TimeSpan DeduplicationWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Upper bound on remembered events, so memory stays bounded with many objects.</summary>
    public int MaxTracked { get; set; } = 10_000;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Component))
        {
            errors.Add("Component must not be empty.");
        }

        if (DeduplicationWindow < TimeSpan.Zero)
        {
            errors.Add($"DeduplicationWindow must not be negative (got {DeduplicationWindow}).");
        }

        if (MaxTracked < 1)
        {
            errors.Add($"MaxTracked must be at least 1 (got {MaxTracked}).");
        }

        return errors;
    }
}
