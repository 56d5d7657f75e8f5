using System.Text.Json.Serialization;
using Beacon.Kube.Json;

namespace Beacon.Kube.Models;

/// <summary>core/v1 Event.</summary>
public sealed class Event : KubeObject
{
    public ObjectReference InvolvedObject { get; set; } = new();

    public string? Reason { get; set; }

    public string? Message { get; set; }

    /// <summary>"Normal" or "Warning".</summary>
    public string? Type { get; set; }

    public int? Count { get; set; }

    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? FirstTimestamp { get; set; }

    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? LastTimestamp { get; set; }

    public EventSource? Source { get; set; }

    public string? ReportingComponent { get; set; }

    public string? ReportingInstance { get; set; }
}

public sealed class ObjectReference
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string? Namespace { get; set; }

    public string? Name { get; set; }

    public string? Uid { get; set; }

    public string? ResourceVersion { get; set; }

    public string? FieldPath { get; set; }
}

public sealed class EventSource
{
    public string? Component { get; set; }

    public string? Host { get; set; }
}
