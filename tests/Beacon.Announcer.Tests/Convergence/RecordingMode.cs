using Beacon.Announcer.Modes;

namespace Beacon.Announcer.Tests.Convergence;

/// <summary>A mode that records what it is asked to apply and fails (or throws) the first N times.</summary>
internal sealed class RecordingMode(int failures = 0, bool throws = false) : IAnnouncerMode
{
    private readonly object _gate = new();
    private readonly List<(AnnouncementSet Set, DateTime At)> _applies = [];
    private int _failuresLeft = failures;

    public string Name => "recording";

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<(AnnouncementSet Set, DateTime At)> Applies
    {
        get { lock (_gate) { return [.. _applies]; } }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Started.TrySetResult();
        return Task.CompletedTask;
    }

    public Task<ApplyOutcome> ApplyAsync(AnnouncementSet desired, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _applies.Add((desired, DateTime.UtcNow));
            if (_failuresLeft-- > 0)
            {
                return throws ? throw new IOException("daemon exploded") : Task.FromResult(ApplyOutcome.Failed("daemon down"));
            }
        }

        return Task.FromResult(ApplyOutcome.Applied(desired.Addresses.Count));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
