namespace Beacon.Kube.Informers;

public sealed class InformerOptions
{
    /// <summary>List page size; large clusters are listed in pages.</summary>
    public int PageSize { get; set; } = 500;

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Server-side watch timeout; the informer then resumes from the last resourceVersion.</summary>
    public int WatchTimeoutSeconds { get; set; } = 300;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (PageSize < 1)
        {
            errors.Add($"PageSize must be at least 1 (got {PageSize}).");
        }

        if (InitialBackoff <= TimeSpan.Zero)
        {
            errors.Add($"InitialBackoff must be positive (got {InitialBackoff}).");
        }

        if (MaxBackoff < InitialBackoff)
        {
            errors.Add($"MaxBackoff ({MaxBackoff}) must be at least InitialBackoff ({InitialBackoff}).");
        }

        if (WatchTimeoutSeconds < 1)
        {
            errors.Add($"WatchTimeoutSeconds must be at least 1 (got {WatchTimeoutSeconds}).");
        }

        return errors;
    }
}
