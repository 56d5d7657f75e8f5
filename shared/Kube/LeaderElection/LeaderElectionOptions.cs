namespace Beacon.Kube.LeaderElection;

/// <summary>Lease-based leader election settings; defaults match client-go (15s / 10s / 2s).</summary>
public sealed class LeaderElectionOptions
{
    public string LeaseNamespace { get; set; } = "default";

    public string LeaseName { get; set; } = "beacon-allocator";

    /// <summary>Unique per candidate (e.g. pod name); defaults to host name plus a random suffix.</summary>
    public string Identity { get; set; } = $"{Environment.MachineName}_{Guid.NewGuid():N}";

    /// <summary>How long a lease stays valid without renewal; standbys wait this long after the last change they saw.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The leader steps down if it cannot renew for this long. Must be shorter than LeaseDuration.</summary>
    public TimeSpan RenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Interval between acquire/renew attempts.</summary>
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>On graceful shutdown, clear the holder so a standby can take over at once.</summary>
    public bool ReleaseOnCancel { get; set; } = true;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(LeaseNamespace) || string.IsNullOrWhiteSpace(LeaseName))
        {
            errors.Add("LeaseNamespace and LeaseName must not be empty.");
        }

        if (string.IsNullOrWhiteSpace(Identity))
        {
            errors.Add("Identity must not be empty.");
        }

        if (RetryPeriod <= TimeSpan.Zero)
        {
            errors.Add($"RetryPeriod must be positive (got {RetryPeriod}).");
        }

        if (RenewDeadline <= RetryPeriod * 1.2)
        {
            errors.Add($"RenewDeadline ({RenewDeadline}) must be longer than 1.2 × RetryPeriod ({RetryPeriod}) so a renewal can be retried.");
        }

        if (LeaseDuration <= RenewDeadline)
        {
            errors.Add($"LeaseDuration ({LeaseDuration}) must be longer than RenewDeadline ({RenewDeadline}), or a standby could take over before the leader steps down.");
        }

        if (LeaseDuration < TimeSpan.FromMilliseconds(1) || LeaseDuration.TotalSeconds > int.MaxValue)
        {
            errors.Add($"LeaseDuration ({LeaseDuration}) is out of range.");
        }

        return errors;
    }
}
