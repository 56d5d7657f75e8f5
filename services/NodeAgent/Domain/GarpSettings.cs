namespace Beacon.NodeAgent.Domain;

/// <summary>
/// Gratuitous ARP / unsolicited NA for a won node-local address: whether to send at all (LBNodeAgent
/// <c>garpConfig.enabled</c> / v1 <c>sendgarp</c>), how many, the pause between them and the wait after plumbing before
/// the first (<c>initialDelay</c>; 0 sends the first one at once, on the reconciling thread).
/// </summary>
public sealed record GarpSettings(bool Enabled, int Count, TimeSpan Interval, TimeSpan InitialDelay)
{
    /// <summary>Whether anything is sent.</summary>
    public bool Sends => Enabled && Count > 0;
}
