using Beacon.Contracts;
using Beacon.Messaging.DesiredState;

namespace Beacon.Messaging.Tests.DesiredState;

internal static class ReplicaAssertions
{
    /// <summary>Waits until the replica has read the stream and holds exactly the publisher's services (by content).</summary>
    public static async Task<DesiredStateView> ConvergesTo(this DesiredStateReplica replica, DesiredStatePublisher publisher, TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(15));
        try
        {
            return await replica.WaitForAsync(v => v.Synchronized && Same(v.Services, publisher.Services), timeout.Token);
        }
        catch (OperationCanceledException)
        {
            var view = replica.Current;
            throw new Xunit.Sdk.XunitException(
                $"replica with {view.Services.Count} services (synchronized: {view.Synchronized}); publisher with {publisher.Services.Count}, {publisher.Unstored} not stored");
        }
    }

    public static bool Same(IReadOnlyDictionary<ServiceKey, AllocationChanged> a, IReadOnlyDictionary<ServiceKey, AllocationChanged> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && AllocationContent.Same(kv.Value, other));
}
