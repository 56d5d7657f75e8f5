using System.ComponentModel;
using Beacon.Hosting.Options;

namespace Beacon.Allocator;

/// <summary>Options of the Allocator. Common options (Http, Log) and the Nats section live elsewhere.</summary>
public sealed class AllocatorOptions : IValidatableOptions
{
    [Description("Where Services and ServiceGroups come from: kubernetes (the API) or standalone (a directory of YAML manifests).")]
    public AllocatorSource Source { get; set; } = AllocatorSource.Kubernetes;

    [Description("Standalone source: directory of Service and ServiceGroup YAML manifests, watched for changes.")]
    public string ManifestsDirectory { get; set; } = string.Empty;

    [Description("Standalone source: file where assignments are persisted (atomically) so a restart moves no address.")]
    public string StateFile { get; set; } = string.Empty;

    [Description("spec.loadBalancerClass this Allocator serves.")]
    public string LoadBalancerClass { get; set; } = "beacon.io/beacon";

    [Description("Further classes served as if they were ours, so PureLB users need not edit Services.")]
    public List<string> CompatibleClasses { get; set; } = ["purelb.io/purelb"];

    [Description("Also serve LoadBalancer Services that set no loadBalancerClass (Beacon as the cluster's default load balancer).")]
    public bool ServeUnclassed { get; set; } = true;

    [Description("Name of the coordination.k8s.io Lease used for leader election; only the leader writes.")]
    public string LeaseName { get; set; } = "beacon-allocator";

    [Description("Namespace of the Lease; empty means the namespace the pod runs in (POD_NAMESPACE), else beacon-system.")]
    public string LeaseNamespace { get; set; } = string.Empty;

    [Description("How long a lease is valid without renewal; a standby takes over after it expires.")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    [Description("How long the leader keeps retrying renewal before it gives up leadership; less than the lease duration.")]
    public TimeSpan LeaseRenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    [Description("How often candidates try to acquire or renew the lease; less than the renew deadline.")]
    public TimeSpan LeaseRetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    [Description("Standalone source: how often the manifest directory is rescanned even without file-system notifications.")]
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(10);

    [Description("This replica's identity in the Lease; defaults to the pod name (POD_NAME), else the host name plus a random suffix.")]
    public string LeaseIdentity { get; set; } = string.Empty;

    [Description("Sustained Kubernetes API requests per second (client-side rate limit).")]
    public double KubeQps { get; set; } = 200;

    [Description("Kubernetes API requests allowed in a burst above --kube-qps.")]
    public int KubeBurst { get; set; } = 400;

    [Description("Service writes (status, annotations, Events) in flight at once.")]
    public int WriteParallelism { get; set; } = 8;

    public AllocatorNatsOptions Nats { get; set; } = new();

    public void Validate(OptionProblems problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (Source == AllocatorSource.Standalone)
        {
            problems.RequireNotBlank(nameof(ManifestsDirectory), ManifestsDirectory, "with --source standalone, point --manifests-directory at the directory holding your Service and ServiceGroup YAML");
            problems.RequireNotBlank(nameof(StateFile), StateFile, "with --source standalone, set --state-file to a writable file path, e.g. /var/lib/beacon/allocations.json");
        }
        problems.RequireNotBlank(nameof(LoadBalancerClass), LoadBalancerClass, "set a class such as beacon.io/beacon");
        if (!(KubeQps > 0) || double.IsInfinity(KubeQps))
            problems.Add(nameof(KubeQps), $"must be a positive number, but is {KubeQps}", "use e.g. --kube-qps 50");
        problems.RequireRange(nameof(KubeBurst), KubeBurst, 1, 100_000);
        problems.RequireRange(nameof(WriteParallelism), WriteParallelism, 1, 256);
        problems.RequirePositive(nameof(RescanInterval), RescanInterval, "10s");
        problems.RequireNotBlank(nameof(LeaseName), LeaseName, "set a Lease name such as beacon-allocator");
        problems.RequirePositive(nameof(LeaseDuration), LeaseDuration, "15s");
        problems.RequirePositive(nameof(LeaseRenewDeadline), LeaseRenewDeadline, "10s");
        problems.RequirePositive(nameof(LeaseRetryPeriod), LeaseRetryPeriod, "2s");
        if (LeaseDuration > TimeSpan.Zero && LeaseRenewDeadline >= LeaseDuration)
            problems.Add(nameof(LeaseRenewDeadline), $"must be shorter than --lease-duration ({DurationText.Format(LeaseDuration)}), but is {DurationText.Format(LeaseRenewDeadline)}", "lower --lease-renew-deadline or raise --lease-duration");
        if (LeaseRenewDeadline > TimeSpan.Zero && LeaseRetryPeriod >= LeaseRenewDeadline)
            problems.Add(nameof(LeaseRetryPeriod), $"must be shorter than --lease-renew-deadline ({DurationText.Format(LeaseRenewDeadline)}), but is {DurationText.Format(LeaseRetryPeriod)}", "lower --lease-retry-period");
    }
}
