using Beacon.Kube.Models;

namespace Beacon.Allocator.Controller;

/// <summary>The Service as stored after our writes, and the resourceVersions those writes made obsolete.</summary>
internal sealed record ServiceWriteResult(Service Stored, IReadOnlyList<string> SupersededVersions);
