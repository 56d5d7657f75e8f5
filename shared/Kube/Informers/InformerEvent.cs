using Beacon.Kube.Models;

namespace Beacon.Kube.Informers;

public enum InformerEventType
{
    Added,
    Updated,
    Deleted,
}

/// <summary>A change applied to the informer cache. OldObject is set for Updated. Objects are shared: clone before mutating.</summary>
public sealed record InformerEvent<T>(InformerEventType Type, T Object, T? OldObject = null)
    where T : KubeObject;
