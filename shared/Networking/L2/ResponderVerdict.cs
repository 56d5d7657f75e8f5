namespace Beacon.Networking.L2;

/// <summary>What the responder did with a frame.</summary>
public enum ResponderVerdict
{
    /// <summary>An ARP request or Neighbor Solicitation for an owned address: a reply is sent.</summary>
    Answer,

    /// <summary>Well-formed but not for us (other target, a reply, other traffic).</summary>
    Ignore,

    /// <summary>Truncated, oversized or invalid: dropped and counted.</summary>
    Malformed,
}
