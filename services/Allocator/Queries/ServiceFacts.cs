using Beacon.Allocator.Mapping;
using Beacon.Allocator.Reconciling;
using Beacon.Kube.Models;

namespace Beacon.Allocator.Queries;

/// <summary>What the Allocator wrote on one Service, read back for queries. Pure.</summary>
internal sealed record ServiceFacts(bool Managed, string? Group, IReadOnlyList<string> Addresses, string State, string? Message)
{
    public const string NotReconciled = "NotReconciledYet";

    public static ServiceFacts Of(Service service, LoadBalancerClassFilter classes)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(classes);
        var managed = string.Equals(service.Spec.Type, "LoadBalancer", StringComparison.Ordinal) && classes.Serves(service.Spec.LoadBalancerClass);
        var annotations = service.Metadata.Annotations;
        var group = annotations?.GetValueOrDefault(BeaconAnnotations.AllocatedFrom) is { Length: > 0 } from
            ? from
            : annotations?.GetValueOrDefault(Ipam.ServiceAnnotations.ServiceGroup);
        var addresses = ServiceRequestMapper.StatusAddresses(service).Select(a => a.ToString()).ToList();
        var condition = service.Status?.Conditions?.FirstOrDefault(c => c.Type == BeaconAnnotations.ConditionType);
        var state = condition is null ? NotReconciled
            : condition.Status == "True" ? "Allocated"
            : condition.Reason ?? "Pending";
        return new ServiceFacts(managed, group, addresses, state, condition?.Message);
    }
}
