namespace Beacon.Ipam;

/// <summary>One <c>matchExpressions</c> entry: <c>key</c>, <c>operator</c> (In, NotIn, Exists, DoesNotExist), <c>values</c>.</summary>
public sealed record LabelSelectorRequirement(string Key, string Operator, IReadOnlyList<string> Values);
