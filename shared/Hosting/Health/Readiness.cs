namespace Beacon.Hosting.Health;

/// <summary>The answer of one readiness check; a reason is required when not ready.</summary>
public sealed record Readiness(bool IsReady, string Reason)
{
    public static Readiness Ready { get; } = new(true, "ready");

    public static Readiness NotReady(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new Readiness(false, reason);
    }
}
