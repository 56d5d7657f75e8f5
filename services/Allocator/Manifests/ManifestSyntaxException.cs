namespace Beacon.Allocator.Manifests;

/// <summary>Structural problem the YAML parser accepts but a manifest cannot have (duplicate key, dangling alias).</summary>
internal sealed class ManifestSyntaxException : Exception
{
    public ManifestSyntaxException(int line, string message)
        : base(message)
    {
        Line = line;
    }

    public ManifestSyntaxException()
    {
    }

    public ManifestSyntaxException(string message)
        : base(message)
    {
    }

    public ManifestSyntaxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int Line { get; }
}
