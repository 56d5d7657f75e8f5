using System.Text.Unicode;
using Beacon.Contracts;

namespace Beacon.Messaging.DesiredState;

/// <summary>Decodes one message on <c>beacon.v1.allocations.&lt;ns&gt;.&lt;svc&gt;</c>: a change, a release, or an error.</summary>
internal static class AllocationMessage
{
    /// <param name="interner">Where a change's repeated strings and lists are shared (a replica's own); null: not shared.</param>
    /// <param name="onePass">False reads with the CloudEvents SDK and the serializer only (tests compare both paths).</param>
    public static (DesiredStateEvent? Event, DecodeError? Error) Decode(BusMessage message, int maxBytes, AllocationInterner? interner = null, bool onePass = true)
    {
        if (message.Payload.Length <= maxBytes && !Utf8.IsValid(message.Payload.Span))
        {
            // Checked here because the SDK throws (InvalidOperationException) on an attribute that is not UTF-8.
            return (null, new DecodeError(DecodeErrorKind.MalformedJson, "the message is not UTF-8 text"));
        }

        interner?.Trim();
        CloudEvent envelope;
        if (onePass && message.Payload.Length <= maxBytes && PlainEnvelopeReader.TryRead(message.Payload, out var plainEnvelope))
        {
            envelope = plainEnvelope!;
        }
        else
        {
            var decoded = CloudEventCodec.Decode(message.Payload.Span, maxBytes);
            if (decoded.Error is not null)
            {
                return (null, decoded.Error);
            }

            envelope = decoded.Value!;
        }

        DesiredStateEvent? e;
        DecodeError? error;
        if (envelope.Is(EventTypes.AllocationReleased))
        {
            envelope.TryGetData(EventTypes.AllocationReleased, out var release, out error);
            e = release is null ? null : DesiredStateEvent.Released(release);
        }
        else if (onePass && envelope.Is(EventTypes.AllocationChanged) && AllocationDataReader.TryRead(envelope.Data.Span, interner ?? new AllocationInterner(), out var plain))
        {
            e = DesiredStateEvent.Changed(plain!);
            error = null;
        }
        else
        {
            envelope.TryGetData(EventTypes.AllocationChanged, out var change, out error);
            change = change is null || interner is null ? change : interner.Compact(change);
            if (error?.Kind == DecodeErrorKind.UnexpectedType)
            {
                error = CloudEventCodec.CheckType(envelope.Type, EventTypes.AllocationReleased) is { Kind: DecodeErrorKind.UnknownMajorVersion } major ? major : error;
            }

            e = change is null ? null : DesiredStateEvent.Changed(change);
        }

        if (error is null && (!Subjects.TryParseAllocation(message.Subject, out var key) || key != e!.Service))
        {
            error = new DecodeError(DecodeErrorKind.SubjectMismatch, $"allocation for {e!.Service} arrived on {message.Subject}");
        }

        return error is null ? (e, null) : (null, error);
    }
}
