using Beacon.Networking.Packets;

namespace Beacon.Networking.L2;

/// <summary>The responder's decision for one frame: a reply frame only when <see cref="Verdict"/> is Answer.</summary>
public readonly record struct ResponderDecision(ResponderVerdict Verdict, byte[]? Reply, FrameRejection Rejection)
{
    public static ResponderDecision Ignored { get; } = new(ResponderVerdict.Ignore, null, FrameRejection.None);

    public static ResponderDecision Answer(byte[] reply) => new(ResponderVerdict.Answer, reply, FrameRejection.None);

    public static ResponderDecision Malformed(FrameRejection reason) => new(ResponderVerdict.Malformed, null, reason);
}
