using Beacon.Ipam;
using Beacon.Kube.Models;
using IpamAddress = Beacon.Ipam.AllocatedAddress;

namespace Beacon.Allocator.Reconciling;

/// <summary>Turns an engine outcome into the Service's desired status, annotations, condition and event. Pure.</summary>
internal static class ServiceDecisionBuilder
{
    public static ServiceDecision Build(AllocationOutcome outcome, IReadOnlyList<IpamAddress> held, bool previouslyOurs)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(held);
        var key = outcome.Service;
        switch (outcome.Status)
        {
            case AllocationStatus.NotManaged:
                if (!previouslyOurs && !outcome.Changed)
                {
                    return ServiceDecision.Untouched(key);
                }

                return new ServiceDecision(key, outcome.Status, false, true, [], null, Remove(BeaconAnnotations.AllocatedBy, BeaconAnnotations.AllocatedFrom,
                        BeaconAnnotations.AnnouncingNodes, BeaconAnnotations.AnnouncingIPv4, BeaconAnnotations.AnnouncingIPv6),
                    outcome.Changed ? new ServiceEventRecord(ServiceEventRecord.Normal, "AddressReleased", "Released " + List(held.Count > 0 ? held : outcome.Addresses) + ": no longer a LoadBalancer of this class") : null);

            case AllocationStatus.Allocated:
            {
                var groups = outcome.Addresses.Select(a => a.Group).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
                var message = $"{List(outcome.Addresses)} from ServiceGroup {string.Join(", ", groups)}";
                if (outcome.Failure is { } shortfall)
                {
                    // Allocated, but short of what was asked (a PreferDualStack family, a full multiPool pool): say which.
                    message += $" ({shortfall.Message})";
                }

                // Whether others share the address changes as they come and go; keeping it out of the message keeps
                // the condition stable (no rewrite, no Event) when a sharer appears or after a restart.
                return new ServiceDecision(key, outcome.Status, true, false, outcome.Addresses,
                    Condition("True", "Allocated", $"Assigned {message}"),
                    new Dictionary<string, string?>
                    {
                        [BeaconAnnotations.AllocatedBy] = BeaconAnnotations.AllocatedByValue,
                        [BeaconAnnotations.AllocatedFrom] = string.Join(",", groups),
                    },
                    new ServiceEventRecord(ServiceEventRecord.Normal, "AddressAssigned", $"Assigned {message}"));
            }

            case AllocationStatus.Pending:
            {
                var failure = outcome.Failure ?? new AllocationFailure(FailureReason.PoolExhausted, "no address available");
                return new ServiceDecision(key, outcome.Status, true, false, [],
                    Condition("False", failure.Reason.ToString(), failure.Message),
                    Remove(BeaconAnnotations.AllocatedFrom).With(BeaconAnnotations.AllocatedBy, BeaconAnnotations.AllocatedByValue),
                    new ServiceEventRecord(ServiceEventRecord.Warning, failure.Reason.ToString(), failure.Message));
            }

            case AllocationStatus.Stale:
            {
                var reasons = string.Join("; ", outcome.StaleAddresses.Select(s => s.ToString()));
                var message = $"Keeps {List(held)} although it is no longer valid ({reasons}); " +
                              "delete and recreate the Service, or remove its address request, to get a valid one";
                return new ServiceDecision(key, outcome.Status, true, false, held,
                    Condition("False", FailureReason.AddressInvalidated.ToString(), message),
                    GroupAnnotations(held),
                    new ServiceEventRecord(ServiceEventRecord.Warning, FailureReason.AddressInvalidated.ToString(), message));
            }

            default:
            {
                // Rejected: the request is malformed; whatever it held stays (a typo never costs an address).
                var failure = outcome.Failure ?? new AllocationFailure(FailureReason.InvalidRequest, "the request is invalid");
                var kept = held.Count > 0 ? $" It keeps {List(held)} until the request is fixed." : string.Empty;
                return new ServiceDecision(key, outcome.Status, true, false, held,
                    Condition("False", failure.Reason.ToString(), failure.Message + kept),
                    held.Count > 0 ? GroupAnnotations(held) : Remove(BeaconAnnotations.AllocatedFrom).With(BeaconAnnotations.AllocatedBy, BeaconAnnotations.AllocatedByValue),
                    new ServiceEventRecord(ServiceEventRecord.Warning, failure.Reason.ToString(), failure.Message + kept));
            }
        }
    }

    private static Dictionary<string, string?> GroupAnnotations(IReadOnlyList<IpamAddress> held) => new()
    {
        [BeaconAnnotations.AllocatedBy] = BeaconAnnotations.AllocatedByValue,
        [BeaconAnnotations.AllocatedFrom] = held.Select(a => a.Group).OfType<string>().Distinct(StringComparer.Ordinal) is var g && g.Any()
            ? string.Join(",", g)
            : null,
    };

    private static Dictionary<string, string?> Remove(params string[] keys) => keys.ToDictionary(k => k, _ => (string?)null, StringComparer.Ordinal);

    private static Dictionary<string, string?> With(this Dictionary<string, string?> annotations, string key, string value)
    {
        annotations[key] = value;
        return annotations;
    }

    private static string List(IReadOnlyList<IpamAddress> addresses) =>
        addresses.Count == 0 ? "no address" : string.Join(", ", addresses.Select(a => a.Address.ToString()));

    private static Condition Condition(string status, string reason, string message) => new()
    {
        Type = BeaconAnnotations.ConditionType,
        Status = status,
        Reason = reason,
        Message = message.Length > 32768 ? message[..32768] : message,
        LastTransitionTime = null,
    };
}
