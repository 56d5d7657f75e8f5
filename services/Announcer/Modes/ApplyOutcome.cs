namespace Beacon.Announcer.Modes;

/// <summary>What an apply achieved. A failed apply left the previous announcement in place.</summary>
/// <param name="Problem">Why it failed, in words an operator can act on (the daemon's own message when there is one).</param>
/// <param name="Changes">How many routes or addresses were added or removed (0 when already converged).</param>
public sealed record ApplyOutcome(bool Succeeded, string? Problem, int Changes)
{
    public static ApplyOutcome Applied(int changes) => new(true, null, changes);

    public static ApplyOutcome Failed(string problem) => new(false, problem, 0);
}
