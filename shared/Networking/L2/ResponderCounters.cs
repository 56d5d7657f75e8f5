using Beacon.Networking.Packets;

namespace Beacon.Networking.L2;

/// <summary>What the responder has seen since it started; safe to read from any thread.</summary>
public sealed class ResponderCounters
{
    private long _received;
    private long _answered;
    private long _ignored;
    private long _malformed;
    private long _sendFailures;
    private readonly long[] _malformedByReason = new long[Enum.GetValues<FrameRejection>().Length];

    public long Received => Interlocked.Read(ref _received);

    public long Answered => Interlocked.Read(ref _answered);

    public long Ignored => Interlocked.Read(ref _ignored);

    public long Malformed => Interlocked.Read(ref _malformed);

    public long SendFailures => Interlocked.Read(ref _sendFailures);

    public long MalformedBecause(FrameRejection reason) => Interlocked.Read(ref _malformedByReason[(int)reason]);

    internal void Count(ResponderDecision decision)
    {
        Interlocked.Increment(ref _received);
        switch (decision.Verdict)
        {
            case ResponderVerdict.Answer:
                Interlocked.Increment(ref _answered);
                break;
            case ResponderVerdict.Ignore:
                Interlocked.Increment(ref _ignored);
                break;
            default:
                Interlocked.Increment(ref _malformed);
                Interlocked.Increment(ref _malformedByReason[(int)decision.Rejection]);
                break;
        }
    }

    internal void CountSendFailure() => Interlocked.Increment(ref _sendFailures);

    public override string ToString() =>
        $"received {Received}, answered {Answered}, ignored {Ignored}, malformed {Malformed}, send failures {SendFailures}";
}
