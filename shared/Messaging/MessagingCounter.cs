namespace Beacon.Messaging;

/// <summary>Things the bus and the desired-state streams count (besides drops by <see cref="Contracts.DecodeErrorKind"/>).</summary>
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
    /// <summary>The Allocator found the allocations stream empty or behind and stored its whole desired state again.</summary>
    StreamRepopulated,
}
