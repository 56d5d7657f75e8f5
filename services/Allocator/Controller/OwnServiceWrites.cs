using Beacon.Kube.Models;

namespace Beacon.Allocator.Controller;

/// <summary>
/// What the Allocator's own Service writes produced, per Service key. Two uses: deciding on the object our last
/// write returned while the cache still shows a version that write replaced, and recognising the watch events our
/// writes cause (the annotation patch and the status update each come back as an update): those echo a decision
/// already taken and acted on, so they are not reconsidered. Every other version of the object is.
/// </summary>
internal sealed class OwnServiceWrites
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, ServiceWriteResult> written = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (gate)
            {
                return written.Count;
            }
        }
    }

    public void Record(string key, ServiceWriteResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        lock (gate)
        {
            written[key] = result;
        }
    }

    public void Forget(string key)
    {
        lock (gate)
        {
            written.Remove(key);
        }
    }

    /// <summary>
    /// Whether <paramref name="resourceVersion"/> of the Service is one our own writes produced (so its update event
    /// brings nothing new). The final version ends the record: the cache has caught up with everything we wrote.
    /// </summary>
    public bool IsEcho(string key, string? resourceVersion)
    {
        if (string.IsNullOrEmpty(resourceVersion))
        {
            return false;
        }

        lock (gate)
        {
            if (!written.TryGetValue(key, out var mine))
            {
                return false;
            }

            if (mine.Stored.Metadata.ResourceVersion == resourceVersion)
            {
                written.Remove(key);
                return true;
            }

            return mine.ProducedVersions.Contains(resourceVersion);
        }
    }

    /// <summary>
    /// The cached Service, unless it is still a version our own writes replaced: then the object our last write
    /// returned (deciding on the old copy would only repeat the write).
    /// </summary>
    public Service? Current(string key, Service? cached)
    {
        lock (gate)
        {
            if (!written.TryGetValue(key, out var mine))
            {
                return cached;
            }

            if (cached is not null && cached.Metadata.ResourceVersion is { } version && mine.SupersededVersions.Contains(version))
            {
                return mine.Stored;
            }

            written.Remove(key);
            return cached;
        }
    }
}
