using System.Text.Json;
using Beacon.Contracts;

namespace Beacon.Messaging.DesiredState;

/// <summary>Compares what nodes act on (everything but sequence and epoch); records hold lists, so == would compare references.</summary>
internal static class AllocationContent
{
    public static bool Same(AllocationChanged a, AllocationChanged b) =>
        Canonical(a).AsSpan().SequenceEqual(Canonical(b));

    private static byte[] Canonical(AllocationChanged allocation) =>
        JsonSerializer.SerializeToUtf8Bytes(allocation with { Sequence = 0, Epoch = "" }, ContractsJsonContext.Default.AllocationChanged);
}
