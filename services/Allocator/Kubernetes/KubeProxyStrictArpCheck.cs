using System.Net;
using Beacon.Kube.Events;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Beacon.Allocator.Kubernetes;

/// <summary>
/// Reads ConfigMap <c>kube-system/kube-proxy</c> at start and every <see cref="Interval"/> and, while kube-proxy runs
/// IPVS without strictARP, records a Warning Event on that ConfigMap naming the fix (<see cref="KubeProxyStrictArp"/>).
/// A cluster without the ConfigMap (no kube-proxy, or not kubeadm's) or without the right to read it gets nothing.
/// Only the leading replica checks (<paramref name="leading"/>): a standby's Event would repeat the leader's.
/// </summary>
internal sealed partial class KubeProxyStrictArpCheck(IKubernetes client, EventRecorder recorder, ILogger logger, TimeProvider time, Func<bool>? leading = null)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    /// <summary>One check; returns the problem recorded (null when none).</summary>
    public async Task<string?> CheckOnceAsync(CancellationToken cancellationToken)
    {
        V1ConfigMap configMap;
        try
        {
            configMap = await client.CoreV1.ReadNamespacedConfigMapAsync(KubeProxyStrictArp.ConfigMapName, KubeProxyStrictArp.ConfigMapNamespace,
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            LogNotReadable(logger, (int)e.Response.StatusCode);
            return null;
        }

        var problem = KubeProxyStrictArp.Problem(configMap.Data?.TryGetValue(KubeProxyStrictArp.ConfigKey, out var conf) == true ? conf : null);
        if (problem is not null)
        {
            LogProblem(logger, problem);
            await recorder.RecordAsync(new V1ObjectReference
            {
                ApiVersion = "v1",
                Kind = "ConfigMap",
                NamespaceProperty = KubeProxyStrictArp.ConfigMapNamespace,
                Name = KubeProxyStrictArp.ConfigMapName,
                Uid = configMap.Metadata?.Uid,
            }, "Warning", KubeProxyStrictArp.Reason, problem, cancellationToken).ConfigureAwait(false);
        }

        return problem;
    }

    /// <summary>How often a standby looks whether it leads now (a new leader checks at once, then every <see cref="Interval"/>).</summary>
    public static readonly TimeSpan LeadershipPoll = TimeSpan.FromSeconds(5);

    /// <summary>Checks until <paramref name="cancellationToken"/> ends it; returns then, without throwing.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(leading is null ? Interval : LeadershipPoll, time);
        DateTimeOffset? checkedAt = null;
        try
        {
            do
            {
                if (leading?.Invoke() == false)
                {
                    checkedAt = null;
                    continue;
                }

                if (checkedAt is { } at && time.GetUtcNow() - at < Interval)
                {
                    continue;
                }

                checkedAt = time.GetUtcNow();
                try
                {
                    await CheckOnceAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpOperationException or HttpRequestException)
                {
                    LogFailed(logger, e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Layer 2 is unsafe in this cluster: {Problem}")]
    private static partial void LogProblem(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "kube-system/kube-proxy not readable (HTTP {Status}): not checking strictARP")]
    private static partial void LogNotReadable(ILogger logger, int status);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Checking kube-proxy's strictARP failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string error);
}
