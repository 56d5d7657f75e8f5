namespace Beacon.Messaging.DesiredState;

/// <summary>A snapshot could not be fetched consistently (bad page, version kept expiring).</summary>
public sealed class SnapshotFetchException : Exception
{
    public SnapshotFetchException()
    {
    }

    public SnapshotFetchException(string message)
        : base(message)
    {
    }

    public SnapshotFetchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
