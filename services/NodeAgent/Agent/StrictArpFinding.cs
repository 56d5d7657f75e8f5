namespace Beacon.NodeAgent.Agent;

/// <summary>
/// The node's latest strictARP finding, shared between <see cref="StrictArpWatch"/> (which writes it) and the node's
/// status on the bus (which carries it to the Allocator, the only component that may write Kubernetes Events).
/// <see cref="Changed"/> fires only when the finding changes, so an unchanged finding sends nothing.
/// </summary>
public sealed class StrictArpFinding
{
    private string? _problem;

    /// <summary>Raised after <see cref="Problem"/> changed; on the thread that changed it.</summary>
    public event EventHandler? Changed;

    /// <summary>Null while layer 2 is safe on this node (or not checked yet); otherwise the problem with the fix.</summary>
    public string? Problem => Volatile.Read(ref _problem);

    public void Set(string? problem)
    {
        if (string.Equals(Interlocked.Exchange(ref _problem, problem), problem, StringComparison.Ordinal))
        {
            return;
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }
}
