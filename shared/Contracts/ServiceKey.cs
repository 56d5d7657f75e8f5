namespace Beacon.Contracts;

/// <summary>A Kubernetes Service's identity. Ordered ordinally by namespace, then name (snapshots and digests use it).</summary>
public sealed record ServiceKey(string Namespace, string Name) : IComparable<ServiceKey>
{
    public int CompareTo(ServiceKey? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byNamespace = string.CompareOrdinal(Namespace, other.Namespace);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(Name, other.Name);
    }

    public override string ToString() => $"{Namespace}/{Name}";
}
