using System.Text.Json.Serialization;
using Beacon.Kube.Models;

namespace Beacon.Kube.Json;

/// <summary>Source-generated serializers for every model; camelCase, nulls omitted (as the API expects).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Service))]
[JsonSerializable(typeof(KubeList<Service>))]
[JsonSerializable(typeof(EndpointSlice))]
[JsonSerializable(typeof(KubeList<EndpointSlice>))]
[JsonSerializable(typeof(Node))]
[JsonSerializable(typeof(KubeList<Node>))]
[JsonSerializable(typeof(Namespace))]
[JsonSerializable(typeof(KubeList<Namespace>))]
[JsonSerializable(typeof(Lease))]
[JsonSerializable(typeof(KubeList<Lease>))]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(KubeList<Event>))]
[JsonSerializable(typeof(ServiceGroup))]
[JsonSerializable(typeof(KubeList<ServiceGroup>))]
[JsonSerializable(typeof(LBNodeAgent))]
[JsonSerializable(typeof(KubeList<LBNodeAgent>))]
[JsonSerializable(typeof(CustomObject))]
public sealed partial class KubeJsonContext : JsonSerializerContext
{
}
