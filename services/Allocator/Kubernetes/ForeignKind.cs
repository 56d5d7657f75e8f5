namespace Beacon.Allocator.Kubernetes;

/// <summary>One kind of another load balancer's configuration, as the Allocator lists and watches it in a cluster.</summary>
/// <param name="Version">The version watched: the CRD's storage version, since every served version lists the same objects.</param>
internal sealed record ForeignKind(string Group, string Version, string Plural, string Kind)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
}
