namespace Beacon.Allocator.Mapping;

/// <summary>Which <c>spec.loadBalancerClass</c> values this Allocator serves; Services of other classes are never touched.</summary>
internal sealed class LoadBalancerClassFilter
{
    private readonly HashSet<string> classes;

    public LoadBalancerClassFilter(string ownClass, IEnumerable<string> compatibleClasses, bool serveUnclassed)
    {
        ArgumentException.ThrowIfNullOrEmpty(ownClass);
        ArgumentNullException.ThrowIfNull(compatibleClasses);
        classes = new HashSet<string>(compatibleClasses.Append(ownClass).Where(c => !string.IsNullOrWhiteSpace(c)), StringComparer.Ordinal);
        OwnClass = ownClass;
        ServeUnclassed = serveUnclassed;
    }

    public string OwnClass { get; }

    public bool ServeUnclassed { get; }

    public bool Serves(string? loadBalancerClass) =>
        string.IsNullOrEmpty(loadBalancerClass) ? ServeUnclassed : classes.Contains(loadBalancerClass);
}
