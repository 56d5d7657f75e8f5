using Beacon.Contracts;
using Beacon.Messaging.DesiredState;

namespace Beacon.Messaging.Tests.DesiredState;

internal static class ReplicaAssertions
{
    /// <summary>Waits until the replica holds exactly the publisher's services (by digest) at the publisher's sequence.</summary>
    public static async Task<DesiredStateView> ConvergesTo(this DesiredStateReplica replica, DesiredStatePublisher publisher, TimeSpan? within = null)
    {
        var expected = publisher.CurrentDigest();
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(15));
        try
        {
            return await replica.WaitForAsync(
                v => v.Synchronized && v.Epoch == expected.Epoch && v.Sequence == expected.Sequence && v.Services.Count == expected.Count,
                timeout.Token);
        }
        catch (OperationCanceledException)
        {
            var view = replica.Current;
            throw new Xunit.Sdk.XunitException(
                $"replica at {view.Epoch}/{view.Sequence} with {view.Services.Count} services (synchronized: {view.Synchronized}); " +
                $"publisher at {expected.Epoch}/{expected.Sequence} with {expected.Count}");
        }
    }

    public static string Hash(this DesiredStateView view) => DesiredStateHash.Compute(view.Services.Values);
}
