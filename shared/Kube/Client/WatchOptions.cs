namespace Beacon.Kube.Client;

/// <summary>Query parameters of a watch request.</summary>
public sealed record WatchOptions
{
    public string? ResourceVersion { get; init; }

    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    public bool AllowBookmarks { get; init; } = true;

    /// <summary>Ask the server to end the stream after this long (clients then resume).</summary>
    public int? TimeoutSeconds { get; init; }
}
