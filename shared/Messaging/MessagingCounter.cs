namespace Beacon.Messaging;

/// <summary>Things the bus and the desired-state replication count (besides drops by <see cref="Contracts.DecodeErrorKind"/>).</summary>
public enum MessagingCounter
{
    Published,
    Received,
    PublishNotConnected,
    PublishBufferFull,
    SlowConsumerDropped,
    HandlerFailed,
    PermissionViolation,
    Connects,
    Reconnects,
    Disconnects,
    SnapshotRequested,
    SnapshotApplied,
    SnapshotFailed,
    SnapshotServed,
    GapDetected,
    /// <summary>A snapshot replaced state of one Allocator epoch with another's.</summary>
    EpochChanged,
    DigestMismatch,
    DuplicateIgnored,
}
