using Beacon.Kube.Models;

namespace Beacon.Kube.Informers;

/// <summary>A full list and the resourceVersion to watch from.</summary>
public sealed record ListSnapshot<T>(IReadOnlyList<T> Items, string? ResourceVersion)
    where T : KubeObject;
