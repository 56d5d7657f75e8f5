using Beacon.Kube.Models;

namespace Beacon.Allocator.Reconciling;

/// <summary>Compares a Service with its decision and plans the smallest writes. Pure.</summary>
internal static class ServiceStatusPlanner
{
    /// <summary>Load balancer ingress mode: traffic arrives with the VIP as destination (kube-proxy may short-cut it).</summary>
    public const string IpMode = "VIP";

    public static bool HasOurCondition(Service service) =>
        service?.Status?.Conditions?.Any(c => c.Type == BeaconAnnotations.ConditionType) == true;

    public static ServiceStatusPlan Plan(Service current, ServiceDecision decision, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(decision);
        if (!decision.Owned && !decision.Clear)
        {
            return new ServiceStatusPlan(null, null, false);
        }

        var status = current.Status ?? new ServiceStatus();
        var currentIngress = status.LoadBalancer?.Ingress ?? [];
        var desiredIngress = decision.Addresses
            .Select(a => new LoadBalancerIngress { IP = a.Address.ToString(), IpMode = IpMode })
            .ToList();
        var ingressChanged = !SameIngress(currentIngress, desiredIngress);

        var conditions = status.Conditions ?? [];
        var existing = conditions.FirstOrDefault(c => c.Type == BeaconAnnotations.ConditionType);
        var conditionChanged = decision.Condition is null
            ? existing is not null
            : existing is null || existing.Status != decision.Condition.Status || existing.Reason != decision.Condition.Reason
              || existing.Message != decision.Condition.Message;

        ServiceStatus? newStatus = null;
        if (ingressChanged || conditionChanged)
        {
            var others = conditions.Where(c => c.Type != BeaconAnnotations.ConditionType).ToList();
            if (decision.Condition is { } desired)
            {
                others.Add(new Condition
                {
                    Type = desired.Type,
                    Status = desired.Status,
                    Reason = desired.Reason,
                    Message = desired.Message,
                    ObservedGeneration = current.Metadata.Generation,
                    // Only a change of status moves the transition time (API convention).
                    LastTransitionTime = existing is not null && existing.Status == desired.Status && existing.LastTransitionTime is { } t ? t : now,
                });
            }

            newStatus = new ServiceStatus
            {
                LoadBalancer = new LoadBalancerStatus { Ingress = desiredIngress.Count > 0 ? desiredIngress : null },
                Conditions = others.Count > 0 ? others : null,
                ExtensionData = status.ExtensionData,
            };
            if (desiredIngress.Count == 0 && !decision.Owned)
            {
                newStatus.LoadBalancer = new LoadBalancerStatus();
            }
        }

        var annotations = current.Metadata.Annotations ?? new Dictionary<string, string>();
        var patch = decision.Annotations
            .Where(kv => kv.Value is null ? annotations.ContainsKey(kv.Key) : !annotations.TryGetValue(kv.Key, out var v) || v != kv.Value)
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        return new ServiceStatusPlan(newStatus, patch.Count > 0 ? patch : null, conditionChanged && decision.Event is not null);
    }

    private static bool SameIngress(IReadOnlyList<LoadBalancerIngress> current, IReadOnlyList<LoadBalancerIngress> desired) =>
        current.Count == desired.Count
        && current.Zip(desired).All(p => p.First.IP == p.Second.IP && p.First.IpMode == p.Second.IpMode && p.First.Hostname is null);
}
