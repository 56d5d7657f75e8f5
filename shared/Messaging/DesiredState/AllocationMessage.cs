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
        if (onePass && message.Payload.Length <= maxBytes
            && PlainEnvelopeReader.TryReadTypeAndData(message.Payload, out var plainType, out var plainData)
            && ReferenceEquals(plainType, EventTypes.AllocationChanged.WireName)
            && AllocationDataReader.TryRead(plainData.Span, interner ?? new AllocationInterner(), out var plainChange))
        {
            // The common case, a change as the Allocator writes it: no envelope object, no copies of its attributes.
            return Subjects.IsAllocationOf(message.Subject, plainChange!.Service)
                ? (DesiredStateEvent.Changed(plainChange), null)
                : (null, new DecodeError(DecodeErrorKind.SubjectMismatch, $"allocation for {plainChange.Service} arrived on {message.Subject}"));
        }

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

        if (error is null && !Subjects.IsAllocationOf(message.Subject, e!.Service))
        {
            error = new DecodeError(DecodeErrorKind.SubjectMismatch, $"allocation for {e!.Service} arrived on {message.Subject}");
        }

        return error is null ? (e, null) : (null, error);
    }
}
