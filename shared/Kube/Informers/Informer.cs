using System.Text.Json;
using Beacon.Kube.Client;
using Beacon.Kube.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Kube.Informers;

/// <summary>
/// Keeps a local cache of one resource in sync: list, then watch from the list's resourceVersion (with bookmarks);
/// after a dropped stream resume from the last seen resourceVersion; on 410 Gone relist and emit the synthetic
/// adds/updates/deletes that make cache and handlers converge; back off exponentially (with jitter) on errors.
/// Handlers run one at a time, in event order, after the cache reflects the event.
/// </summary>
public sealed class Informer<T> : IInformerCache<T>
    where T : KubeObject
{
    private readonly ResourceClient<T> _client;
    private readonly InformerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly InformerCache<T> _cache = new();
    private readonly List<Func<InformerEvent<T>, CancellationToken, ValueTask>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _running;
    private long _lists;
    private long _watches;

    public Informer(ResourceClient<T> client, InformerOptions? options = null, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _options = options ?? new InformerOptions();
        var errors = _options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid informer options for {client.Resource}: " + string.Join(" ", errors), nameof(options));
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
        var resource = _client.Resource.ToString();
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

                var received = await WatchOnceAsync(cancellationToken).ConfigureAwait(false);
                if (received == 0)
                {
                    // A stream that ends without delivering anything must not become a hot loop.
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
            catch (KubeGoneException)
            {
                InformerLog.Expired(_logger, resource, LastResourceVersion);
                needList = true;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or KubeApiException or JsonException or OperationCanceledException)
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
        var list = await _client.ListAllAsync(_options.Namespace, new ListOptions
        {
            LabelSelector = _options.LabelSelector,
            FieldSelector = _options.FieldSelector,
            Limit = _options.PageSize,
        }, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _lists);
        var events = _cache.Replace(list.Items);
        LastResourceVersion = list.Metadata.ResourceVersion;
        InformerLog.Listed(_logger, resource, list.Items.Count, LastResourceVersion);
        foreach (var change in events)
        {
            await DispatchAsync(change, cancellationToken).ConfigureAwait(false);
        }

        _synced.TrySetResult();
    }

    private async Task<int> WatchOnceAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _watches);
        var received = 0;
        var options = new WatchOptions
        {
            ResourceVersion = LastResourceVersion,
            LabelSelector = _options.LabelSelector,
            FieldSelector = _options.FieldSelector,
            AllowBookmarks = true,
            TimeoutSeconds = _options.WatchTimeoutSeconds,
        };
        // The server ends the stream at its timeout; a connection that silently died never would, so give up a bit later.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(_options.WatchTimeoutSeconds + 30));
        await foreach (var change in _client.WatchAsync(_options.Namespace, options, deadline.Token).ConfigureAwait(false))
        {
            received++;
            switch (change.Type)
            {
                case WatchEventType.Bookmark:
                    break;
                case WatchEventType.Added:
                case WatchEventType.Modified:
                    var previous = _cache.Upsert(change.Object);
                    await DispatchAsync(previous is null
                        ? new InformerEvent<T>(InformerEventType.Added, change.Object)
                        : new InformerEvent<T>(InformerEventType.Updated, change.Object, previous), cancellationToken).ConfigureAwait(false);
                    break;
                case WatchEventType.Deleted:
                    var removed = _cache.Remove(change.Object.Key);
                    await DispatchAsync(new InformerEvent<T>(InformerEventType.Deleted, change.Object, removed), cancellationToken).ConfigureAwait(false);
                    break;
            }

            if (change.Object.Metadata.ResourceVersion is { Length: > 0 } version)
            {
                LastResourceVersion = version;
            }
        }

        return received;
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
                InformerLog.HandlerFailed(_logger, ex, _client.Resource.ToString(), change.Object.Key);
            }
        }
    }
}
