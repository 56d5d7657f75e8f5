namespace Beacon.Allocator.Manifests;

/// <summary>A problem in a manifest file, located precisely enough for a human to fix it.</summary>
internal sealed record ManifestProblem(string Source, int Line, string Message)
{
    public override string ToString() => $"{Source}:{Line}: {Message}";
}
