namespace Beacon.Kube.Models;

/// <summary>
/// Any object Beacon reads without a model of its own (another load balancer's custom resources, a ConfigMap):
/// type and object meta as usual, everything else (spec, status, data) kept as JSON in the extension data.
/// </summary>
public sealed class CustomObject : KubeObject
{
}
