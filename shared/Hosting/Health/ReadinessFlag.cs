namespace Beacon.Hosting.Health;

/// <summary>
/// A readiness check a component flips itself: not ready (with a reason) until <see cref="MarkReady"/>.
/// Register one per component, e.g. <c>new ReadinessFlag("nats", "not connected yet")</c>.
/// </summary>
public sealed class ReadinessFlag : IReadinessCheck
{
    private volatile Readiness _state;

    public ReadinessFlag(string name, string initialReason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _state = Readiness.NotReady(initialReason);
    }

    public string Name { get; }

    public void MarkReady() => _state = Readiness.Ready;

    public void MarkNotReady(string reason) => _state = Readiness.NotReady(reason);

    public Readiness Check() => _state;
}
