namespace Beacon.Kube.Client;

/// <summary>Query parameters of a list request.</summary>
public sealed record ListOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Page size; null means "everything in one response".</summary>
    public int? Limit { get; init; }

    public string? Continue { get; init; }

    public string? ResourceVersion { get; init; }
}

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
