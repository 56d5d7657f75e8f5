namespace Beacon.Allocator;

/// <summary>Where the Allocator reads Services and ServiceGroups from.</summary>
public enum AllocatorSource
{
    /// <summary>The Kubernetes API (in-cluster service account or kubeconfig).</summary>
    Kubernetes,

    /// <summary>A directory of YAML manifests, with assignments persisted to a state file.</summary>
    Standalone,
}
