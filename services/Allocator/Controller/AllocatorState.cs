namespace Beacon.Allocator.Controller;

/// <summary>What /readyz, metrics and tests can ask the running Allocator: is it leading, has its term converged.</summary>
internal sealed class AllocatorState
{
    private AllocationLoop? loop;
    private Func<bool> isLeader = () => false;

    public bool IsLeader => isLeader();

    public bool Converged => loop?.Converged == true;

    /// <summary>The current term's loop (null before the first term); beaconctl's query responder reads through it.</summary>
    public AllocationLoop? Loop => loop;

    public void Attach(AllocationLoop current, Func<bool> leader)
    {
        loop = current ?? throw new ArgumentNullException(nameof(current));
        isLeader = leader ?? throw new ArgumentNullException(nameof(leader));
    }
}
