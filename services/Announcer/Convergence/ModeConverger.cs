using System.Threading.Channels;
using Beacon.Announcer.Modes;
using Microsoft.Extensions.Logging;

namespace Beacon.Announcer.Convergence;

/// <summary>
/// Keeps one mode converged to the latest desired set: applies each new set (the latest wins; sets submitted while
/// an apply runs are coalesced), retries failures with exponential backoff, and re-applies periodically. Nothing is
/// applied before the first set arrives, so a starting announcer never withdraws what a previous one announced
/// before it knows the desired state. A set can be submitted as a function that builds it: it is then built once per
/// apply, not once per change, so a burst of 1,000 announcements costs a few builds and reconfigurations, not 1,000;
/// when the next apply starts during a burst or a trickle is <see cref="Pacing"/>'s.
/// </summary>
public sealed partial class ModeConverger(IAnnouncerMode mode, ConvergenceTimings timings, TimeProvider time, ILogger<ModeConverger> logger)
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly object _gate = new();
    private readonly List<(long Version, TaskCompletionSource Done)> _waiters = [];
    private Func<AnnouncementSet>? _latest;
    private long _submitted;
    private long _applied;
    private readonly long _origin = time.GetTimestamp();
    private TimeSpan? _firstPending;
    private TimeSpan _latestSubmission;
    private TimeSpan? _lastApplyEnded;
    private TimeSpan _lastApplyDuration;

    /// <summary>When a change is applied relative to the previous apply and the changes around it (bursts, trickles).</summary>
    public BurstPacing Pacing { get; init; } = BurstPacing.Default;

    public IAnnouncerMode Mode => mode;

    /// <summary>The most recent apply's outcome (null before the first).</summary>
    public ApplyOutcome? LastOutcome { get; private set; }

    /// <summary>Consecutive failed applies; 0 when the last one succeeded.</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>Replaces the desired set and wakes the loop; returns a version to wait for with <see cref="WaitAppliedAsync"/>.</summary>
    public long Submit(AnnouncementSet desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        return Submit(() => desired);
    }

    /// <summary>
    /// Replaces the desired set with one built by <paramref name="build"/> when the next apply starts (the latest
    /// submission wins; it is called once per apply, on the converger's loop); returns a version as <see cref="Submit(AnnouncementSet)"/>.
    /// </summary>
    public long Submit(Func<AnnouncementSet> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        long version;
        var now = Now();
        lock (_gate)
        {
            _latest = build;
            version = ++_submitted;
            _firstPending ??= now;
            _latestSubmission = now;
        }

        _wake.Writer.TryWrite(true);
        return version;
    }

    /// <summary>Completes once a set at least as new as <paramref name="version"/> has been applied successfully.</summary>
    public Task WaitAppliedAsync(long version, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_applied >= version)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((version, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Starts the mode and converges until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await mode.StartAsync(cancellationToken).ConfigureAwait(false);
        var wait = Timeout.InfiniteTimeSpan;
        while (!cancellationToken.IsCancellationRequested)
        {
            await WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            if (!await PaceAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            Func<AnnouncementSet>? desired;
            long version;
            lock (_gate)
            {
                (desired, version) = (_latest, _submitted);
                _firstPending = null;
            }

            if (desired is null)
            {
                wait = Timeout.InfiniteTimeSpan;
                continue;
            }

            var started = Now();
            var outcome = await ApplyAsync(desired, cancellationToken).ConfigureAwait(false);
            _lastApplyEnded = Now();
            _lastApplyDuration = _lastApplyEnded.Value - started;
            LastOutcome = outcome;
            if (outcome.Succeeded)
            {
                ConsecutiveFailures = 0;
                MarkApplied(version);
                wait = timings.Resync;
            }
            else
            {
                ConsecutiveFailures++;
                wait = timings.RetryAfter(ConsecutiveFailures);
                LogFailed(logger, mode.Name, outcome.Problem ?? "unknown", ConsecutiveFailures, wait);
            }
        }
    }

    private async Task<ApplyOutcome> ApplyAsync(Func<AnnouncementSet> desired, CancellationToken cancellationToken)
    {
        try
        {
            return await mode.ApplyAsync(desired(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A mode bug or an unexpected system error must not stop the announcer: report it and retry.
            return ApplyOutcome.Failed($"{e.GetType().Name}: {e.Message}");
        }
    }

    private TimeSpan Now() => time.GetElapsedTime(_origin);

    /// <summary>
    /// Waits until <see cref="Pacing"/> lets the pending changes be applied (at once without pending changes: a
    /// resync or a retry); false when cancelled. Changes arriving meanwhile only move the time later, up to its bounds.
    /// </summary>
    private async Task<bool> PaceAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan first;
            TimeSpan latest;
            lock (_gate)
            {
                if (_firstPending is not { } pending)
                {
                    break;
                }

                (first, latest) = (pending, _latestSubmission);
            }

            var wait = Pacing.NextApply(_lastApplyEnded, _lastApplyDuration, first, latest) - Now();
            if (wait <= TimeSpan.Zero)
            {
                break;
            }

            try
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        // What woke us while pacing is in the set about to be applied.
        _wake.Reader.TryRead(out _);
        return !cancellationToken.IsCancellationRequested;
    }

    private async Task WaitAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (wait != Timeout.InfiniteTimeSpan)
        {
            var delay = Task.Delay(wait, time, timeout.Token);
            var woken = _wake.Reader.WaitToReadAsync(timeout.Token).AsTask();
            await Task.WhenAny(delay, woken).ConfigureAwait(false);
            await timeout.CancelAsync().ConfigureAwait(false);
        }
        else
        {
            try
            {
                await _wake.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        _wake.Reader.TryRead(out _);
    }

    private void MarkApplied(long version)
    {
        List<TaskCompletionSource> done;
        lock (_gate)
        {
            _applied = Math.Max(_applied, version);
            done = [.. _waiters.Where(w => w.Version <= _applied).Select(w => w.Done)];
            _waiters.RemoveAll(w => w.Version <= _applied);
        }

        foreach (var d in done)
        {
            d.TrySetResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Mode} could not apply the desired set: {Problem} (failure {Failures}, retrying in {Retry})")]
    private static partial void LogFailed(ILogger logger, string mode, string problem, int failures, TimeSpan retry);
}
