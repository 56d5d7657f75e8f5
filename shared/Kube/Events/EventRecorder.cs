using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Beacon.Kube.Library;
using Beacon.Kube.Models;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Beacon.Kube.Events;

/// <summary>
/// Records core/v1 Events about objects. Repeats of the same (object, type, reason, message) within the
/// deduplication window patch count and lastTimestamp of the existing Event instead of creating another.
/// Recording is best effort: API failures are logged, never thrown, so events cannot break reconciliation.
/// Built on the official client (core/v1 Events: create, merge patch); the library has no aggregating recorder.
/// </summary>
public sealed class EventRecorder
{
    private readonly IKubernetes _client;
    private readonly EventRecorderOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Tracked> _tracked = new(StringComparer.Ordinal);

    public EventRecorder(IKubernetes client, EventRecorderOptions? options = null, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
        _options = options ?? new EventRecorderOptions();
        var errors = _options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid event recorder options: " + string.Join(" ", errors), nameof(options));
        }

        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    public Task RecordAsync(KubeObject involved, string type, string reason, string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(involved);
        return RecordAsync(new V1ObjectReference
        {
            ApiVersion = involved.ApiVersion,
            Kind = involved.Kind,
            NamespaceProperty = involved.Metadata.Namespace,
            Name = involved.Metadata.Name,
            Uid = involved.Metadata.Uid,
            ResourceVersion = involved.Metadata.ResourceVersion,
        }, type, reason, message, cancellationToken);
    }

    public async Task RecordAsync(V1ObjectReference involved, string type, string reason, string message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(involved);
        ArgumentException.ThrowIfNullOrEmpty(involved.Name);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        var key = string.Join('\u001f', involved.Kind, involved.NamespaceProperty, involved.Name, involved.Uid, type, reason, message);
        var tracked = _tracked.GetOrAdd(key, _ => new Tracked());
        await tracked.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            if (tracked.Name is not null && now - tracked.LastSeen <= _options.DeduplicationWindow)
            {
                try
                {
                    var patch = new JsonObject
                    {
                        ["count"] = tracked.Count + 1,
                        ["lastTimestamp"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    };
                    await _client.CoreV1.PatchNamespacedEventAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), tracked.Name,
                        tracked.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                    tracked.Count++;
                    tracked.LastSeen = now;
                    return;
                }
                catch (Exception e) when (ApiStatus.IsNotFound(e))
                {
                    // The Event expired or was deleted: fall through and create a new one.
                }
            }

            var fresh = NewEvent(involved, type, reason, message, now);
            var created = await _client.CoreV1.CreateNamespacedEventAsync(fresh, fresh.Metadata.NamespaceProperty, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            tracked.Namespace = created.Metadata.NamespaceProperty;
            tracked.Name = created.Metadata.Name;
            tracked.Count = created.Count ?? 1;
            tracked.LastSeen = now;
        }
        catch (Exception ex) when (ex is k8s.Autorest.HttpOperationException or HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            EventRecorderLog.Failed(_logger, reason, ObjectKey.Of(involved.NamespaceProperty, involved.Name), ex.Message);
        }
        finally
        {
            tracked.Gate.Release();
            Prune();
        }
    }

    private Corev1Event NewEvent(V1ObjectReference involved, string type, string reason, string message, DateTimeOffset now) => new()
    {
        Metadata = new V1ObjectMeta
        {
            // Unique per occurrence series, in the style of the API: <object>.<hex time>.
            Name = $"{involved.Name}.{now.UtcTicks.ToString("x", CultureInfo.InvariantCulture)}{Random.Shared.Next(0x1000).ToString("x3", CultureInfo.InvariantCulture)}",
            NamespaceProperty = string.IsNullOrEmpty(involved.NamespaceProperty) ? "default" : involved.NamespaceProperty,
        },
        InvolvedObject = involved,
        Type = type,
        Reason = reason,
        Message = message,
        Count = 1,
        FirstTimestamp = now.UtcDateTime,
        LastTimestamp = now.UtcDateTime,
        Source = new V1EventSource { Component = _options.Component, Host = _options.Host ?? Environment.MachineName },
        ReportingComponent = _options.Component,
        ReportingInstance = _options.Instance ?? Environment.MachineName,
    };

    /// <summary>
    /// Keeps memory bounded: past MaxTracked, forget expired entries, then the least recently seen down to 90 %. Forgetting an
    /// entry only costs deduplication (the next repeat creates a new Event), and pruning to 90 % keeps this amortised.
    /// </summary>
    private void Prune()
    {
        if (_tracked.Count <= _options.MaxTracked)
        {
            return;
        }

        var cutoff = _time.GetUtcNow() - _options.DeduplicationWindow;
        var target = _options.MaxTracked * 9 / 10;
        foreach (var (key, tracked) in _tracked)
        {
            if (tracked.Name is not null && tracked.LastSeen < cutoff)
            {
                _tracked.TryRemove(key, out _);
            }
        }

        var excess = _tracked.Count - target;
        if (excess > 0)
        {
            foreach (var (key, _) in _tracked.Where(p => p.Value.Name is not null).OrderBy(p => p.Value.LastSeen).Take(excess).ToList())
            {
                _tracked.TryRemove(key, out _);
            }
        }
    }

    private sealed class Tracked
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public string? Namespace { get; set; }

        public string? Name { get; set; }

        public int Count { get; set; }

        public DateTimeOffset LastSeen { get; set; }
    }
}
