namespace Beacon.Ipam;

/// <summary>Either a valid <see cref="Group"/> or the <see cref="Errors"/> that prevented it.</summary>
public sealed record GroupValidationResult(ServiceGroup? Group, IReadOnlyList<ServiceGroupError> Errors)
{
    public bool IsValid => Group is not null;
}
