namespace Beacon.Hosting.Health;

/// <summary>
/// Something /readyz asks before declaring the service ready (connected to NATS, caches synced, ...).
/// Register with <c>builder.Services.AddReadinessCheck&lt;T&gt;()</c> or <c>AddReadinessCheck(instance)</c>.
/// Checks should be cheap: read state the component already keeps, do no I/O.
/// </summary>
public interface IReadinessCheck
{
    /// <summary>Short name shown in /readyz output, e.g. "nats".</summary>
    string Name { get; }

    Readiness Check();
}
