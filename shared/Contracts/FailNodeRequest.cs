namespace Beacon.Contracts;

/// <summary>Lab-only request on <see cref="Subjects.LabFailNode"/>: the named node's agent simulates node death.</summary>
public sealed record FailNodeRequest(string Node);
