namespace Beacon.NodeAgent.Agent;

/// <summary>
/// The interfaces this node announces layer-2 addresses on, once the agent has resolved them (its <c>--interface</c>,
/// or the LBNodeAgent's <c>localInterface</c> and <c>interfaces[]</c>). Until then, the interface the options name.
/// Shared with <see cref="StrictArpWatch"/>, which must check the interfaces addresses really go on.
/// </summary>
public sealed class AnnouncingInterfaces(string initial)
{
    private IReadOnlyList<string> _names = [initial];

    /// <summary>Raised after <see cref="Names"/> changed; on the thread that changed it.</summary>
    public event EventHandler? Changed;

    public IReadOnlyList<string> Names => Volatile.Read(ref _names);

    public void Set(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.SequenceEqual(Names, StringComparer.Ordinal))
        {
            return;
        }

        Volatile.Write(ref _names, [.. names]);
        Changed?.Invoke(this, EventArgs.Empty);
    }
}
