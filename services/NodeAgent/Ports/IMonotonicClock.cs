namespace Beacon.NodeAgent.Ports;

/// <summary>Elapsed time that never jumps (membership deadlines must not follow wall-clock changes).</summary>
public interface IMonotonicClock
{
    TimeSpan Now { get; }
}
