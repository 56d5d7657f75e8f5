namespace Beacon.Messaging.DesiredState;

/// <summary>One stored publish whose acknowledgement is still to come (a seam so the window can be tested without a server).</summary>
internal interface IPendingStore : IAsyncDisposable
{
    /// <summary>The stream sequence the message was stored at; throws when the server refused it or did not answer.</summary>
    ValueTask<ulong> AckedAsync(CancellationToken cancellationToken);
}
