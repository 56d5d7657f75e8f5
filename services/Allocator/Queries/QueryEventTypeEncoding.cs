using Beacon.Contracts;

namespace Beacon.Allocator.Queries;

/// <summary>Replies carry the Allocator as their CloudEvents source.</summary>
internal static class QueryEventTypeEncoding
{
    public static byte[] Encode<T>(this EventType<T> type, T data) => CloudEventCodec.Encode(type, data, EventSources.Allocator);
}
