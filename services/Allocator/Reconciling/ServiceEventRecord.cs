namespace Beacon.Allocator.Reconciling;

/// <summary>An Event to record on a Service: "Normal" or "Warning", a CamelCase reason, a sentence.</summary>
internal sealed record ServiceEventRecord(string Type, string Reason, string Message)
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";
}
