namespace Beacon.NodeAgent.Domain;

/// <summary>What a node does about another host claiming one of its addresses on the LAN.</summary>
public enum DefenceOutcome
{
    /// <summary>One defending announcement now.</summary>
    Defended,

    /// <summary>Defended within the last interval: nothing now, one defence when the interval ends (see <see cref="DefenceSchedule"/>).</summary>
    Deferred,

    /// <summary>Defended within the last interval and a deferred defence is already due: counted only.</summary>
    Suppressed,

    /// <summary>
    /// This claim ends the defence: the episode's defences are spent, the address is given up on the wire until no claim
    /// has been seen for the quiet period (a lasting double owner; reported once per episode).
    /// </summary>
    GaveUp,

    /// <summary>A further claim in an episode already given up: counted only.</summary>
    GivenUp,

    /// <summary>The address is not ours (any more): the claim is none of our business.</summary>
    NotOwned,
}
