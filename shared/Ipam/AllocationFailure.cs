namespace Beacon.Ipam;

/// <summary>A reason code, a message meant for a Kubernetes event, and the Services it conflicts with (if any).</summary>
public sealed record AllocationFailure(FailureReason Reason, string Message, IReadOnlyList<ServiceKey> ConflictingServices)
{
    public AllocationFailure(FailureReason reason, string message)
        : this(reason, message, [])
    {
    }

    public override string ToString() => $"{Reason}: {Message}";
}
