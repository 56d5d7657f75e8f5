namespace Beacon.Ipam;

/// <summary>Operator settings of the engine.</summary>
public sealed record AllocatorOptions
{
    /// <summary>PureLB's class name, so Services written for PureLB keep working.</summary>
    public const string DefaultLoadBalancerClass = "purelb.io/purelb";

    /// <summary>Services whose <c>spec.loadBalancerClass</c> is set to anything else are left alone.</summary>
    public string LoadBalancerClass { get; init; } = DefaultLoadBalancerClass;

    /// <summary>
    /// When false (the default) a Service whose address became invalid because the configuration changed (pool shrank,
    /// group deleted) keeps it and is reported as stale; when true it is given a new address on its next allocation.
    /// </summary>
    public bool RenumberInvalid { get; init; }
}
