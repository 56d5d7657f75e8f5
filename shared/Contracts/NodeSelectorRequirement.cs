namespace Beacon.Contracts;

/// <summary><c>key</c> <c>In</c>/<c>NotIn</c>/<c>Exists</c>/<c>DoesNotExist</c> <c>values</c>.</summary>
public sealed record NodeSelectorRequirement(string Key, string Operator, IReadOnlyList<string> Values);
