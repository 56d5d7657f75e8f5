using Beacon.Announcer.Modes;

namespace Beacon.Announcer.Tests.Convergence;

/// <summary>A mode whose first apply waits until released, like a daemon busy reconfiguring; records every set.</summary>
internal sealed class GatedMode : IAnnouncerMode
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly List<AnnouncementSet> _applies = [];

    public string Name => "gated";

    public TaskCompletionSource FirstApplyStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<AnnouncementSet> Applies
    {
        get { lock (_gate) { return [.. _applies]; } }
    }

    public void Release() => _release.TrySetResult();

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<ApplyOutcome> ApplyAsync(AnnouncementSet desired, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _applies.Add(desired);
        }

        FirstApplyStarted.TrySetResult();
        await _release.Task.WaitAsync(cancellationToken);
        return ApplyOutcome.Applied(desired.Addresses.Count);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
