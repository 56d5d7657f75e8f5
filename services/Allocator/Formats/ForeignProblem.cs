namespace Beacon.Allocator.Formats;

/// <summary>
/// Why (part of) a foreign resource is not used: the resource as "Kind namespace/name", where ("file:line"), which
/// field, and what is wrong. <paramref name="Rejected"/> is true when the whole resource is ignored, false when only
/// the named field is (a warning).
/// </summary>
internal sealed record ForeignProblem(string Resource, string At, string Field, string Message, bool Rejected = true)
{
    public static ForeignProblem Of(ForeignResource resource, string field, string message, bool rejected = true)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return new ForeignProblem(resource.Id, resource.At(field.Length == 0 ? string.Empty : "." + field), field, message, rejected);
    }

    public override string ToString() => Field.Length == 0 ? $"{At}: {Resource}: {Message}" : $"{At}: {Resource} {Field}: {Message}";
}
