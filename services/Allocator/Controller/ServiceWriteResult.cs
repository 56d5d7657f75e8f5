using Beacon.Kube.Models;

namespace Beacon.Allocator.Controller;

/// <summary>
/// The Service as stored after our writes, the resourceVersions those writes made obsolete, and the intermediate
/// versions they produced themselves (e.g. after the annotation patch, before the status update).
/// </summary>
internal sealed record ServiceWriteResult(Service Stored, IReadOnlyList<string> SupersededVersions, IReadOnlyList<string>? Produced = null)
{
    public IReadOnlyList<string> ProducedVersions => Produced ?? [];
}
