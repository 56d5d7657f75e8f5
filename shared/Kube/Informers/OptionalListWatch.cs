using System.Net;
using System.Runtime.CompilerServices;
using Beacon.Kube.Library;
using Beacon.Kube.Models;
using Microsoft.Extensions.Logging;

namespace Beacon.Kube.Informers;

/// <summary>
/// A list+watch of a resource that may not exist in the cluster (another project's CRD not installed) or may not be
/// readable: while the API answers 404 (or 403) the resource counts as empty, so the informer syncs and nothing
/// waits for it; it is logged once and checked again every <paramref name="retryInterval"/>, and once it can be
/// listed the informer relists and follows it like any other.
/// </summary>
public sealed partial class OptionalListWatch<T>(IListWatch<T> inner, TimeSpan retryInterval, ILogger logger, TimeProvider? time = null) : IListWatch<T>
    where T : KubeObject
{
    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private volatile bool missing;
    private int reported;

    public string Resource => inner.Resource;

    /// <summary>Whether the last list found the resource absent (or not readable).</summary>
    public bool Missing => missing;

    public async Task<ListSnapshot<T>> ListAsync(int pageSize, CancellationToken cancellationToken)
    {
        try
        {
            var snapshot = await inner.ListAsync(pageSize, cancellationToken).ConfigureAwait(false);
            if (missing)
            {
                LogAvailable(logger, Resource);
            }

            missing = false;
            return snapshot;
        }
        catch (k8s.Autorest.HttpOperationException e) when (ApiStatus.Of(e) is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            missing = true;
            if (Interlocked.Exchange(ref reported, 1) == 0)
            {
                if (ApiStatus.IsNotFound(e))
                {
                    LogNotInstalled(logger, Resource, retryInterval);
                }
                else
                {
                    LogForbidden(logger, Resource, retryInterval);
                }
            }

            return new ListSnapshot<T>([], null);
        }
    }

    public async IAsyncEnumerable<(k8s.WatchEventType Type, T Object)> WatchAsync(string? resourceVersion, int timeoutSeconds, Action<Exception> onError,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onError);
        if (missing)
        {
            // Quietly poll until the resource can be listed, then have the informer relist (as after 410 Gone).
            while (true)
            {
                await Task.Delay(retryInterval, clock, cancellationToken).ConfigureAwait(false);
                try
                {
                    await inner.ListAsync(1, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (k8s.Autorest.HttpOperationException e) when (ApiStatus.Of(e) is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
                {
                }
            }

            onError(new k8s.KubernetesException(new k8s.Models.V1Status { Code = 410, Reason = "Expired", Message = $"{Resource} can now be listed" }));
            yield break;
        }

        await foreach (var change in inner.WatchAsync(resourceVersion, timeoutSeconds, onError, cancellationToken).ConfigureAwait(false))
        {
            yield return change;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource} is not served by this cluster (its CRD is not installed); treated as empty, checking again every {Interval}")]
    private static partial void LogNotInstalled(ILogger logger, string resource, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource} may not be listed (403; check the ClusterRole); treated as empty, checking again every {Interval}")]
    private static partial void LogForbidden(ILogger logger, string resource, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Resource} can now be listed; following it")]
    private static partial void LogAvailable(ILogger logger, string resource);
}
