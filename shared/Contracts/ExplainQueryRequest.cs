namespace Beacon.Contracts;

/// <summary>beaconctl's request on <see cref="Subjects.QueryExplain"/>: why does this Service (not) have an address and owner?</summary>
public sealed record ExplainQueryRequest(ServiceKey Service);
