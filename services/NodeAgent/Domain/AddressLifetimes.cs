namespace Beacon.NodeAgent.Domain;

/// <summary>
/// The lifetimes a node-local address is plumbed with (IFA_CACHEINFO). <paramref name="Valid"/> null is permanent
/// (PureLB's <c>validLifetime: 0</c>): the kernel keeps the address after the agent dies, and only a restarted agent or
/// a clean shutdown removes it. <paramref name="Preferred"/> null is the valid lifetime; it never exceeds it (a
/// preferred lifetime of 0 leaves the address deprecated: it still answers, but the node does not pick it as a source).
/// </summary>
public readonly record struct AddressLifetimes(TimeSpan? Valid, TimeSpan? Preferred = null)
{
    /// <summary>The preferred lifetime as plumbed: not above the valid one.</summary>
    public TimeSpan? EffectivePreferred => (Valid, Preferred) switch
    {
        (_, null) => Valid,
        (null, { } preferred) => preferred,
        ({ } valid, { } preferred) => preferred < valid ? preferred : valid,
    };

    /// <summary>How often held addresses are refreshed: a third of a finite lifetime; a permanent one at <paramref name="permanentEvery"/>.</summary>
    public TimeSpan RefreshEvery(TimeSpan permanentEvery) => Valid is { } valid ? valid / 3 : permanentEvery;

    public override string ToString() =>
        (Valid is { } v ? $"valid {v.TotalSeconds:0}s" : "permanent") + (Preferred is { } p ? $", preferred {EffectivePreferred!.Value.TotalSeconds:0}s" : string.Empty);
}
