namespace Beacon.Kube.Models;

/// <summary>core/v1 Namespace; we only need its labels (metadata).</summary>
public sealed class Namespace : KubeObject
{
}
