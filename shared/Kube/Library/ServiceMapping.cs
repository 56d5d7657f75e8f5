using Beacon.Kube.Models;
using k8s.Models;

namespace Beacon.Kube.Library;

/// <summary>
/// The official client's <see cref="V1Service"/> and Beacon's <see cref="Service"/> record, field by field. Services
/// are the objects of which there are thousands, each seen several times (list, our patch, our status update), so
/// their mapping skips the JSON round trip of <see cref="ModelMapping"/>: measured in the allocator benchmark
/// (docs/benchmarks.md). Fields Beacon does not model (managedFields, sessionAffinity, …) are not carried: the
/// Allocator never writes a whole Service, only merge patches of annotations and the status subresource, whose
/// update takes nothing but the status from the body.
/// </summary>
public static class ServiceMapping
{
    public static Service ToRecord(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var spec = service.Spec;
        var status = service.Status;
        return new Service
        {
            ApiVersion = service.ApiVersion,
            Kind = service.Kind,
            Metadata = ToRecord(service.Metadata),
            Spec = spec is null ? new ServiceSpec() : new ServiceSpec
            {
                Type = spec.Type,
                Ports = spec.Ports?.Select(p => new ServicePort
                {
                    Name = p.Name,
                    Protocol = p.Protocol,
                    Port = p.Port,
                    TargetPort = p.TargetPort?.Value is { } target
                        ? int.TryParse(target, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
                            ? new Beacon.Kube.Models.IntOrString(number)
                            : new Beacon.Kube.Models.IntOrString(target)
                        : null,
                    NodePort = p.NodePort,
                    AppProtocol = p.AppProtocol,
                }).ToList(),
                Selector = Copy(spec.Selector),
                LoadBalancerIP = spec.LoadBalancerIP,
                LoadBalancerClass = spec.LoadBalancerClass,
                ExternalTrafficPolicy = spec.ExternalTrafficPolicy,
                IPFamilies = spec.IpFamilies?.ToList(),
                IPFamilyPolicy = spec.IpFamilyPolicy,
                ClusterIP = spec.ClusterIP,
                ClusterIPs = spec.ClusterIPs?.ToList(),
            },
            Status = status is null ? null : new ServiceStatus
            {
                LoadBalancer = status.LoadBalancer is null ? null : new LoadBalancerStatus
                {
                    Ingress = status.LoadBalancer.Ingress?.Select(i => new LoadBalancerIngress
                    {
                        IP = i.Ip,
                        Hostname = i.Hostname,
                        IpMode = i.IpMode,
                        Ports = i.Ports?.Select(p => new PortStatus { Port = p.Port, Protocol = p.Protocol, Error = p.Error }).ToList(),
                    }).ToList(),
                },
                Conditions = status.Conditions?.Select(c => new Condition
                {
                    Type = c.Type,
                    Status = c.Status,
                    ObservedGeneration = c.ObservedGeneration,
                    LastTransitionTime = Time(c.LastTransitionTime),
                    Reason = c.Reason,
                    Message = c.Message,
                }).ToList(),
            },
        };
    }

    /// <summary>The Service as the status subresource takes it: identity, resourceVersion (the precondition) and status.</summary>
    public static V1Service ToLibraryStatus(Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var meta = service.Metadata;
        var status = service.Status;
        return new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new V1ObjectMeta
            {
                Name = meta.Name,
                NamespaceProperty = meta.Namespace,
                Uid = meta.Uid,
                ResourceVersion = meta.ResourceVersion,
            },
            Status = status is null ? new V1ServiceStatus() : new V1ServiceStatus
            {
                LoadBalancer = status.LoadBalancer is null ? null : new V1LoadBalancerStatus
                {
                    Ingress = status.LoadBalancer.Ingress?.Select(i => new V1LoadBalancerIngress
                    {
                        Ip = i.IP,
                        Hostname = i.Hostname,
                        IpMode = i.IpMode,
                        Ports = i.Ports?.Select(p => new V1PortStatus { Port = p.Port, Protocol = p.Protocol, Error = p.Error }).ToList(),
                    }).ToList(),
                },
                Conditions = status.Conditions?.Select(c => new V1Condition
                {
                    Type = c.Type,
                    Status = c.Status,
                    ObservedGeneration = c.ObservedGeneration,
                    // metav1.Time has second precision; the record's converter writes it the same way.
                    LastTransitionTime = c.LastTransitionTime is { } t ? TruncateToSeconds(t.UtcDateTime) : default,
                    Reason = c.Reason,
                    Message = c.Message,
                }).ToList(),
            },
        };
    }

    private static ObjectMeta ToRecord(V1ObjectMeta? meta) => meta is null ? new ObjectMeta() : new ObjectMeta
    {
        Name = meta.Name,
        GenerateName = meta.GenerateName,
        Namespace = meta.NamespaceProperty,
        Uid = meta.Uid,
        ResourceVersion = meta.ResourceVersion,
        Generation = meta.Generation,
        Labels = Copy(meta.Labels),
        Annotations = Copy(meta.Annotations),
        CreationTimestamp = Time(meta.CreationTimestamp),
        DeletionTimestamp = Time(meta.DeletionTimestamp),
        Finalizers = meta.Finalizers?.ToList(),
        OwnerReferences = meta.OwnerReferences?.Select(o => new OwnerReference
        {
            ApiVersion = o.ApiVersion,
            Kind = o.Kind,
            Name = o.Name,
            Uid = o.Uid,
            Controller = o.Controller,
            BlockOwnerDeletion = o.BlockOwnerDeletion,
        }).ToList(),
    };

    private static Dictionary<string, string>? Copy(IDictionary<string, string>? values) =>
        values is null ? null : new Dictionary<string, string>(values, StringComparer.Ordinal);

    /// <summary>The library reads metav1.Time as a DateTime in UTC (or unspecified, meaning UTC).</summary>
    private static DateTimeOffset? Time(DateTime? value) => value is { } v
        ? new DateTimeOffset(DateTime.SpecifyKind(v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : v, DateTimeKind.Utc))
        : null;

    private static DateTime TruncateToSeconds(DateTime value) =>
        new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
