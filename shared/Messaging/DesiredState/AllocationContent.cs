using System.Text.Json;
using Beacon.Contracts;

namespace Beacon.Messaging.DesiredState;

/// <summary>
/// Compares what nodes act on (everything but sequence and epoch); records hold lists, so == would compare references.
/// Field by field, lists element by element (their items are records of strings and numbers): a replica compares every
/// change of a held Service, and serializing both sides cost more than decoding the message. The rare announcement
/// policy (records of lists) is compared by its JSON.
/// </summary>
internal static class AllocationContent
{
    public static bool Same(AllocationChanged a, AllocationChanged b) =>
        ReferenceEquals(a, b)
        || (a.Service == b.Service
            && a.ExternalTrafficPolicy == b.ExternalTrafficPolicy
            && string.Equals(a.ServiceGroup, b.ServiceGroup, StringComparison.Ordinal)
            && string.Equals(a.SharingKey, b.SharingKey, StringComparison.Ordinal)
            && SameItems(a.Addresses, b.Addresses)
            && SameItems(a.Ports, b.Ports)
            && SameItems(a.ReadyNodes, b.ReadyNodes)
            && SameAnnounce(a.Announce, b.Announce));

    private static bool SameItems<T>(IReadOnlyList<T> a, IReadOnlyList<T> b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Count != b.Count)
        {
            return false;
        }

        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < a.Count; i++)
        {
            if (!comparer.Equals(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameAnnounce(AnnouncementPolicy? a, AnnouncementPolicy? b) =>
        ReferenceEquals(a, b)
        || (a is not null && b is not null
            && JsonSerializer.SerializeToUtf8Bytes(a, ContractsJsonContext.Default.AnnouncementPolicy).AsSpan()
                .SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(b, ContractsJsonContext.Default.AnnouncementPolicy)));
}
