namespace Beacon.NodeAgent.Domain;

/// <summary>
/// What this node agent runs with: its options, with the settings of the LBNodeAgent that applies to it (see
/// <see cref="NodeAgentConfigChoice"/>) in place of every option the operator left at its default. An option set to
/// anything else wins over the resource, and the resource field it hides is named in <see cref="Overridden"/>. Pure.
/// </summary>
/// <param name="Source">The LBNodeAgent applied ("namespace/name"), or null.</param>
/// <param name="Selected">Whether this node may own addresses (the node selector, from the option or the resources).</param>
/// <param name="Overridden">Resource fields not applied because the matching option was set.</param>
/// <param name="ExtraInterfaces">The LBNodeAgent's <c>interfaces[]</c>: further interfaces whose subnets this node may own addresses of (not the dummy).</param>
public sealed record NodeConfiguration(
    string Interface,
    string DummyInterface,
    bool Selected,
    GarpSettings Garp,
    AddressLifetimes AddressLifetime,
    string? Source,
    IReadOnlyList<string> Overridden,
    IReadOnlyList<string>? ExtraInterfaces = null)
{
    /// <summary>The further interfaces, none when unset.</summary>
    public IReadOnlyList<string> Extras => ExtraInterfaces ?? [];

    public static NodeConfiguration Resolve(NodeAgentOptions options, IReadOnlyDictionary<string, string> labels, NodeAgentConfigChoice choice)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(choice);
        var defaults = new NodeAgentOptions();
        var agent = choice.Applied;
        var overridden = new List<string>();

        T Pick<T>(T option, T optionDefault, T? resource, string field)
            where T : struct
        {
            if (resource is not { } value)
            {
                return option;
            }

            if (!EqualityComparer<T>.Default.Equals(option, optionDefault))
            {
                overridden.Add(field);
                return option;
            }

            return value;
        }

        string PickText(string option, string optionDefault, string? resource, string field)
        {
            if (resource is null)
            {
                return option;
            }

            if (!string.Equals(option, optionDefault, StringComparison.Ordinal))
            {
                overridden.Add(field);
                return option;
            }

            return resource;
        }

        var @interface = PickText(options.Interface, defaults.Interface, agent?.LocalInterface, "localInterface");
        var dummy = PickText(options.DummyInterface, defaults.DummyInterface, agent?.DummyInterface, "dummyInterface");
        var count = Pick(options.GratuitousCount, defaults.GratuitousCount, agent?.GarpCount, "garpConfig.count");
        var interval = Pick(options.GratuitousInterval, defaults.GratuitousInterval, agent?.GarpIntervalMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null, "garpConfig.interval");
        // --gratuitous-count set by the operator also decides whether to send (0 = off), so it wins over enabled too.
        var enabled = true;
        if (options.GratuitousCount != defaults.GratuitousCount)
        {
            if (agent?.GarpEnabled is not null)
            {
                overridden.Add("garpConfig.enabled");
            }
        }
        else
        {
            enabled = agent?.GarpEnabled ?? true;
        }

        var initialDelay = agent?.GarpInitialDelayMs is { } delay ? TimeSpan.FromMilliseconds(delay) : TimeSpan.Zero;
        // validLifetime 0 is PureLB's "permanent"; --address-lifetime set by the operator wins over both lifetimes.
        var lifetime = new AddressLifetimes(options.AddressLifetime);
        if (agent?.ValidLifetimeSeconds is not null || agent?.PreferredLifetimeSeconds is not null)
        {
            if (options.AddressLifetime != defaults.AddressLifetime)
            {
                if (agent.ValidLifetimeSeconds is not null)
                {
                    overridden.Add("addressConfig.localInterface.validLifetime");
                }

                if (agent.PreferredLifetimeSeconds is not null)
                {
                    overridden.Add("addressConfig.localInterface.preferredLifetime");
                }
            }
            else
            {
                var valid = agent.ValidLifetimeSeconds switch
                {
                    null => options.AddressLifetime,
                    0 => (TimeSpan?)null,
                    { } seconds => TimeSpan.FromSeconds(seconds),
                };
                lifetime = new AddressLifetimes(valid, agent.PreferredLifetimeSeconds is { } p ? TimeSpan.FromSeconds(p) : null);
            }
        }

        bool selected;
        if (options.NodeSelector.Count > 0)
        {
            LabelRequirements.TryParse(options.NodeSelector, out var selector, out _);
            selected = LabelRequirements.Matches(selector, labels);
            if (choice.Deselected || agent?.NodeSelector is not null)
            {
                overridden.Add("nodeSelector");
            }
        }
        else
        {
            selected = !choice.Deselected;
        }

        // interfaces[] adds to localInterface in PureLB; an operator's --interface replaces both.
        IReadOnlyList<string> extras = [];
        if (agent is { Interfaces.Count: > 0 })
        {
            if (!string.Equals(options.Interface, defaults.Interface, StringComparison.Ordinal))
            {
                overridden.Add("interfaces");
            }
            else
            {
                extras = [.. agent.Interfaces.Where(i => !string.IsNullOrWhiteSpace(i) && i != dummy && i != @interface).Distinct(StringComparer.Ordinal)];
            }
        }

        return new NodeConfiguration(@interface, dummy, selected, new GarpSettings(enabled, count, interval, initialDelay), lifetime, agent?.Name, overridden, extras);
    }
}
