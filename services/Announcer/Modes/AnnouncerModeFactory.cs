namespace Beacon.Announcer.Modes;

/// <summary>
/// Creates the configured mode by name. Modes register a constructor here (see <see cref="AnnouncerModeCatalog"/>),
/// so adding a mode is one class plus one registration line; nothing else switches on mode names.
/// </summary>
public sealed class AnnouncerModeFactory
{
    private readonly Dictionary<string, Func<IServiceProvider, IAnnouncerMode>> _constructors = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Mode names known to this factory, sorted (for option validation and help text).</summary>
    public IReadOnlyList<string> Names => [.. _constructors.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Adds a mode. <paramref name="create"/> pulls what it needs (its options, logging) from the services.</summary>
    public AnnouncerModeFactory Register(string name, Func<IServiceProvider, IAnnouncerMode> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(create);
        if (!_constructors.TryAdd(name, create))
        {
            throw new ArgumentException($"announcer mode '{name}' is registered twice", nameof(name));
        }

        return this;
    }

    public bool IsKnown(string name) => _constructors.ContainsKey(name);

    /// <summary>Creates the mode called <paramref name="name"/>; unknown names fail with the list of known ones.</summary>
    public IAnnouncerMode Create(string name, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!_constructors.TryGetValue(name, out var create))
        {
            throw new ArgumentException(
                $"unknown announcer mode '{name}'; known modes: {string.Join(", ", Names)}", nameof(name));
        }

        return create(services);
    }
}
