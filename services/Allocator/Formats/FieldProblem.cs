namespace Beacon.Allocator.Formats;

/// <summary>
/// One problem a format translator found in one object: the field (JSON path without the leading dot, "" for the
/// whole object), what is wrong, and whether the whole object is ignored (<paramref name="Rejected"/>) or only that
/// field (a warning: the object is used, the field is not honoured as the other product would).
/// </summary>
internal sealed record FieldProblem(string Field, string Message, bool Rejected = true);
