using System.Collections.Immutable;
using Beacon.Contracts;

namespace Beacon.Messaging.DesiredState;

/// <summary>The publisher's state at one sequence; replaced as a whole so readers never need a lock.</summary>
internal sealed record PublishedState(long Sequence, ImmutableSortedDictionary<ServiceKey, AllocationChanged> Services);
