using System.Diagnostics;
using System.Net.Http;
using System.Text.Json;
using Beacon.Kube.Library;
using Beacon.Kube.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Kube.Informers;

/// <summary>
/// Keeps a local cache of one resource in sync on top of the official client: list, then watch from the list's
/// resourceVersion (with bookmarks); after a stream ends or drops resume from the last seen resourceVersion; on 410
/// Gone relist and emit the synthetic adds/updates/deletes that make cache and handlers converge; back off
/// exponentially (with jitter) on errors. Handlers run one at a time, in event order, after the cache reflects the event.
/// </summary>
/// <remarks>
/// Two behaviours of KubernetesClient 21.0.8's watch are absorbed here: a 410 Gone arrives only through onError and
/// the stream then ends normally (so it is remembered and turned into a relist), and a watch the server closes before
/// its first event throws <see cref="HttpRequestException"/> from the enumerator (so that is a normal end: resume
/// from the same resourceVersion, no relist, no error).
/// </remarks>
public sealed class Informer<T> : IInformerCache<T>
    where T : KubeObject
{
    /// <summary>A watch that ends sooner than this without delivering anything is retried after a backoff, not at once.</summary>
    private static readonly TimeSpan QuickEnd = TimeSpan.FromSeconds(1);

    private readonly IListWatch<T> _source;
    private readonly InformerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly InformerCache<T> _cache = new();
    private readonly List<Func<InformerEvent<T>, CancellationToken, ValueTask>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _running;
    private long _lists;
    private long _watches;
    private long _closedEarly;

    public Informer(IListWatch<T> source, InformerOptions? options = null, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _options = options ?? new InformerOptions();
        var errors = _options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid informer options for {source.Resource}: " + string.Join(" ", errors), nameof(options));
        }

        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>True once the first full list has been applied to the cache.</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    /// <summary>The resourceVersion the informer would resume from.</summary>
    public string? LastResourceVersion { get; private set; }

    /// <summary>Full lists performed (1 + relists after 410 Gone).</summary>
    public long ListCount => Interlocked.Read(ref _lists);

    /// <summary>Watch streams opened.</summary>
    public long WatchCount => Interlocked.Read(ref _watches);

    /// <summary>Watches the server closed before their first event (resumed from the same resourceVersion).</summary>
    public long ClosedBeforeFirstEvent => Interlocked.Read(ref _closedEarly);

    public int Count => _cache.Count;

    public T? Get(string? @namespace, string name) => _cache.Get(@namespace, name);

    public T? GetByKey(string key) => _cache.GetByKey(key);

    public IReadOnlyList<T> List() => _cache.List();

    public IReadOnlyList<T> List(string @namespace) => _cache.List(@namespace);

    /// <summary>Registers a handler; call before <see cref="RunAsync"/>.</summary>
    public void AddHandler(Func<InformerEvent<T>, CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (Volatile.Read(ref _running) != 0)
        {
            throw new InvalidOperationException("Handlers must be added before the informer starts.");
        }

        _handlers.Add(handler);
    }

    /// <summary>Completes when the cache holds the first full list.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken = default) => _synced.Task.WaitAsync(cancellationToken);

    /// <summary>Runs until cancelled (then completes without throwing).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) != 0)
        {
            throw new InvalidOperationException("The informer is already running.");
        }

        var backoff = new ExponentialBackoff(_options.InitialBackoff, _options.MaxBackoff);
        var needList = true;
        var resource = _source.Resource;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (needList)
                {
                    await ListAndReplaceAsync(resource, cancellationToken).ConfigureAwait(false);
                    needList = false;
                    backoff.Reset();
                }

                var outcome = await WatchOnceAsync(cancellationToken).ConfigureAwait(false);
                if (outcome.Gone)
                {
                    InformerLog.Expired(_logger, resource, LastResourceVersion);
                    needList = true;
                }
                else if (outcome.Received == 0 && outcome.Duration < QuickEnd)
                {
                    // A stream that ends at once without delivering anything must not become a hot loop.
                    await Task.Delay(backoff.Next(), _time, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    backoff.Reset();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ApiStatus.IsGone(ex))
            {
                // A continue token or resourceVersion that expired between requests (outside a watch stream).
                InformerLog.Expired(_logger, resource, LastResourceVersion);
                needList = true;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or k8s.Autorest.HttpOperationException or k8s.KubernetesException
                                           or JsonException or OperationCanceledException)
            {
                var delay = backoff.Next();
                InformerLog.Failed(_logger, resource, ex.Message, delay);
                try
                {
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private async Task ListAndReplaceAsync(string resource, CancellationToken cancellationToken)
    {
        var list = await _source.ListAsync(_options.PageSize, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _lists);
        var events = _cache.Replace(list.Items);
        LastResourceVersion = list.ResourceVersion;
        InformerLog.Listed(_logger, resource, list.Items.Count, LastResourceVersion);
        foreach (var change in events)
        {
            await DispatchAsync(change, cancellationToken).ConfigureAwait(false);
        }

        _synced.TrySetResult();
    }

    private async Task<WatchOutcome> WatchOnceAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _watches);
        var started = Stopwatch.GetTimestamp();
        var received = 0;
        var gone = false;
        Exception? streamError = null;
        // The server ends the stream at its timeout; a connection that silently died never would, so give up a bit later.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(_options.WatchTimeoutSeconds + 30));
        try
        {
            await foreach (var (type, item) in _source.WatchAsync(LastResourceVersion, _options.WatchTimeoutSeconds, OnError, deadline.Token)
                               .ConfigureAwait(false))
            {
                received++;
                switch (type)
                {
                    case k8s.WatchEventType.Added:
                    case k8s.WatchEventType.Modified:
                        var previous = _cache.Upsert(item);
                        await DispatchAsync(previous is null
                            ? new InformerEvent<T>(InformerEventType.Added, item)
                            : new InformerEvent<T>(InformerEventType.Updated, item, previous), cancellationToken).ConfigureAwait(false);
                        break;
                    case k8s.WatchEventType.Deleted:
                        var removed = _cache.Remove(item.Key);
                        await DispatchAsync(new InformerEvent<T>(InformerEventType.Deleted, item, removed), cancellationToken).ConfigureAwait(false);
                        break;
                }

                if (item.Metadata.ResourceVersion is { Length: > 0 } version)
                {
                    LastResourceVersion = version;
                }
            }
        }
        catch (HttpRequestException) when (received == 0 && !gone && !cancellationToken.IsCancellationRequested)
        {
            // The library's way of saying the server ended a watch that had nothing to tell (as at its timeout):
            // resume from the same resourceVersion like after any normal end. A refused connection lands here too and
            // is retried the same way, after the backoff a quick empty end earns.
            Interlocked.Increment(ref _closedEarly);
            InformerLog.ClosedEarly(_logger, _source.Resource, LastResourceVersion);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Our own deadline for a silent connection: resume like after a normal end.
        }

        if (streamError is not null && !gone)
        {
            InformerLog.StreamError(_logger, _source.Resource, streamError.Message);
        }

        return new WatchOutcome(received, gone, Stopwatch.GetElapsedTime(started));

        void OnError(Exception error)
        {
            if (ApiStatus.IsGone(error))
            {
                gone = true;
            }
            else
            {
                streamError = error;
            }
        }
    }

    private async ValueTask DispatchAsync(InformerEvent<T> change, CancellationToken cancellationToken)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                await handler(change, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A faulty consumer must not stop the cache from following the cluster.
                InformerLog.HandlerFailed(_logger, ex, _source.Resource, change.Object.Key);
            }
        }
    }

    private readonly record struct WatchOutcome(int Received, bool Gone, TimeSpan Duration);
}
