using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Beacon.Allocator.Kubernetes;

/// <summary>
/// Gives the Lease up when a leader stops gracefully (SIGTERM, as a rolling update sends), as client-go's
/// ReleaseOnCancel does: the holder becomes empty, so the next replica acquires it on its first try instead of
/// waiting out the lease duration. KubernetesClient 21.0.8's elector has no such option; its acquire step takes an
/// empty holder at once. A killed leader cannot release: then the standby waits for the Lease to expire, by design.
/// </summary>
internal static class LeaseRelease
{
    /// <summary>Returns true when the Lease was released; false when another replica holds it already (or it is gone).</summary>
    public static async Task<bool> ReleaseAsync(IKubernetes client, string @namespace, string name, string identity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        V1Lease lease;
        try
        {
            lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(name, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }

        if (lease.Spec?.HolderIdentity != identity)
        {
            return false;
        }

        // Empty, not null: the library's elector treats a null holder as "no Lease yet" and tries to create it.
        lease.Spec.HolderIdentity = string.Empty;
        lease.Spec.LeaseDurationSeconds = 1;
        lease.Spec.RenewTime = DateTime.UtcNow;
        try
        {
            // Carries the resourceVersion just read: a replica that took over meanwhile keeps its Lease (409).
            await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, name, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            return false;
        }
    }
}
