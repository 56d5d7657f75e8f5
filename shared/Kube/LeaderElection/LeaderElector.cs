using Beacon.Kube.Client;
using Beacon.Kube.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Kube.LeaderElection;

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease. A candidate takes the lease when it is absent, released, or
/// unchanged for LeaseDuration (judged by the local clock from when this candidate last saw it change, so clock skew
/// between nodes does not matter). Writes use the lease's resourceVersion, so of two racing candidates one gets 409
/// and loses. The leader renews every RetryPeriod and steps down when it has not renewed for RenewDeadline, which is
/// shorter than LeaseDuration: it stops before anyone else may start.
/// </summary>
public sealed class LeaderElector
{
    private readonly ResourceClient<Lease> _leases;
    private readonly LeaderElectionOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _leaseKey;
    private string? _observedVersion;
    private DateTimeOffset _observedAt;
    private volatile bool _isLeader;
    private volatile string? _observedHolder;

    public LeaderElector(ResourceClient<Lease> leases, LeaderElectionOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid leader election options: " + string.Join(" ", errors), nameof(options));
        }

        _leases = leases;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _leaseKey = $"{options.LeaseNamespace}/{options.LeaseName}";
    }

    public string Identity => _options.Identity;

    public bool IsLeader => _isLeader;

    /// <summary>The holder seen in the lease at the last attempt (may be this candidate).</summary>
    public string? ObservedLeader => _observedHolder;

    /// <summary>
    /// Campaigns until cancelled. Each time leadership is won, onStartedLeading runs with a token that is cancelled
    /// when leadership is lost (or on shutdown); onStoppedLeading is then called. After losing, campaigns again.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> onStartedLeading, Action onStoppedLeading, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onStartedLeading);
        ArgumentNullException.ThrowIfNull(onStoppedLeading);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await AcquireAsync(cancellationToken).ConfigureAwait(false) is not long acquiredAt)
            {
                return;
            }

            _isLeader = true;
            LeaderElectionLog.Acquired(_logger, Identity, _leaseKey);
            using var term = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var renewal = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var work = RunWorkAsync(onStartedLeading, term.Token, renewal);
            await RenewUntilLostAsync(acquiredAt, renewal.Token).ConfigureAwait(false);
            _isLeader = false;
            await term.CancelAsync().ConfigureAwait(false);
            if (!cancellationToken.IsCancellationRequested)
            {
                LeaderElectionLog.Lost(_logger, Identity, _leaseKey);
            }

            onStoppedLeading();
            var failure = await work.ConfigureAwait(false);
            if ((cancellationToken.IsCancellationRequested || failure is not null) && _options.ReleaseOnCancel)
            {
                await ReleaseAsync().ConfigureAwait(false);
            }

            if (failure is not null)
            {
                // The leader's work crashed: give up the lease (above) and let the host decide what to do.
                throw new InvalidOperationException($"Leader work for lease {_leaseKey} failed: {failure.Message}", failure);
            }
        }
    }

    /// <summary>One acquire-or-renew attempt; true when this candidate holds the lease afterwards.</summary>
    public async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var lease = await _leases.TryGetAsync(_options.LeaseNamespace, _options.LeaseName, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            try
            {
                var created = await _leases.CreateAsync(new Lease
                {
                    Metadata = new ObjectMeta { Namespace = _options.LeaseNamespace, Name = _options.LeaseName },
                    Spec = new LeaseSpec
                    {
                        HolderIdentity = Identity,
                        LeaseDurationSeconds = LeaseSeconds,
                        AcquireTime = now,
                        RenewTime = now,
                        LeaseTransitions = 0,
                    },
                }, cancellationToken).ConfigureAwait(false);
                Observe(created, now);
                return true;
            }
            catch (KubeAlreadyExistsException)
            {
                return false;
            }
        }

        if (lease.Metadata.ResourceVersion != _observedVersion)
        {
            Observe(lease, now);
        }

        var holder = lease.Spec.HolderIdentity;
        var duration = lease.Spec.LeaseDurationSeconds is int seconds and > 0 ? TimeSpan.FromSeconds(seconds) : _options.LeaseDuration;
        var heldByOther = !string.IsNullOrEmpty(holder) && holder != Identity;
        if (heldByOther && _observedAt + duration > now)
        {
            return false;
        }

        if (holder != Identity)
        {
            lease.Spec.HolderIdentity = Identity;
            lease.Spec.AcquireTime = now;
            lease.Spec.LeaseTransitions = (lease.Spec.LeaseTransitions ?? 0) + 1;
        }

        lease.Spec.RenewTime = now;
        lease.Spec.LeaseDurationSeconds = LeaseSeconds;
        try
        {
            var updated = await _leases.UpdateAsync(lease, cancellationToken).ConfigureAwait(false);
            Observe(updated, now);
            return true;
        }
        catch (KubeConflictException)
        {
            // Another candidate wrote first.
            return false;
        }
    }

    // Whole seconds as the API stores them, rounded up so a sub-second test lease is not 0.
    private int LeaseSeconds => (int)Math.Ceiling(_options.LeaseDuration.TotalSeconds);

    /// <summary>Retries until the lease is held; returns when the successful attempt started (null when cancelled).</summary>
    private async Task<long?> AcquireAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = _time.GetTimestamp();
            if (await AttemptAsync(_options.RenewDeadline, cancellationToken).ConfigureAwait(false))
            {
                return started;
            }

            // Jitter keeps candidates from polling in lockstep.
            var delay = _options.RetryPeriod * (1 + (Random.Shared.NextDouble() * 0.2));
            try
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        return null;
    }

    /// <remarks>
    /// A renewal counts from when its attempt started, not when the answer arrived: the lease was written somewhere
    /// in between, so this errs towards stepping down early rather than late.
    /// </remarks>
    private async Task RenewUntilLostAsync(long lastRenewal, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.RetryPeriod, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var started = _time.GetTimestamp();
            var remaining = _options.RenewDeadline - _time.GetElapsedTime(lastRenewal, started);
            if (remaining > TimeSpan.Zero && await AttemptAsync(remaining, cancellationToken).ConfigureAwait(false))
            {
                lastRenewal = started;
                continue;
            }

            if (_observedHolder != Identity || _time.GetElapsedTime(lastRenewal) >= _options.RenewDeadline)
            {
                // Someone else holds it, or we could not renew in time: stop before the lease can expire.
                return;
            }
        }
    }

    private async Task<bool> AttemptAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        try
        {
            return await TryAcquireOrRenewAsync(attempt.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is KubeApiException or HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LeaderElectionLog.AttemptFailed(_logger, _leaseKey, ex.Message);
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Runs the leader's work; returns its failure (if any) after stopping renewal so leadership ends with it.</summary>
    private async Task<Exception?> RunWorkAsync(Func<CancellationToken, Task> onStartedLeading, CancellationToken term, CancellationTokenSource renewal)
    {
        try
        {
            await Task.Run(() => onStartedLeading(term), CancellationToken.None).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (term.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex)
        {
            LeaderElectionLog.WorkFailed(_logger, ex, _leaseKey);
            await renewal.CancelAsync().ConfigureAwait(false);
            return ex;
        }
    }

    private async Task ReleaseAsync()
    {
        using var timeout = new CancellationTokenSource(_options.RenewDeadline);
        try
        {
            var lease = await _leases.TryGetAsync(_options.LeaseNamespace, _options.LeaseName, timeout.Token).ConfigureAwait(false);
            if (lease is null || lease.Spec.HolderIdentity != Identity)
            {
                return;
            }

            lease.Spec.HolderIdentity = null;
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.RenewTime = _time.GetUtcNow();
            await _leases.UpdateAsync(lease, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is KubeApiException or HttpRequestException or IOException or OperationCanceledException)
        {
            // Best effort: the lease expires on its own.
            LeaderElectionLog.AttemptFailed(_logger, _leaseKey, ex.Message);
        }
    }

    private void Observe(Lease lease, DateTimeOffset now)
    {
        _observedVersion = lease.Metadata.ResourceVersion;
        _observedAt = now;
        var holder = lease.Spec.HolderIdentity;
        if (holder != _observedHolder && !string.IsNullOrEmpty(holder))
        {
            LeaderElectionLog.NewLeader(_logger, _leaseKey, holder);
        }

        _observedHolder = holder;
    }
}
