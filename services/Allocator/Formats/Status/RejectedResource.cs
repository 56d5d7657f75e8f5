namespace Beacon.Allocator.Formats.Status;

/// <summary>
/// A resource Beacon does not use (or uses only in part): "Kind namespace/name", where it was declared ("file:line",
/// or "api"), and every reason. <paramref name="Rejected"/> is false when only some fields are not honoured.
/// </summary>
internal sealed record RejectedResource(string Resource, string At, IReadOnlyList<string> Reasons, bool Rejected = true)
{
    public override string ToString() => $"{At}: {Resource}: {string.Join("; ", Reasons)}";
}
