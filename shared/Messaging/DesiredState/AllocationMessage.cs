using System.Text.Unicode;
using Beacon.Contracts;

namespace Beacon.Messaging.DesiredState;

/// <summary>Decodes one message on <c>beacon.v1.allocations.&lt;ns&gt;.&lt;svc&gt;</c>: a change, a release, or an error.</summary>
internal static class AllocationMessage
{
    /// <param name="interner">Where a change's repeated strings and lists are shared (a replica's own); null: not shared.</param>
    /// <param name="onePass">False reads with the CloudEvents SDK and the serializer only (tests compare both paths).</param>
    public static (DesiredStateEvent? Event, DecodeError? Error) Decode(BusMessage message, int maxBytes, AllocationInterner? interner = null, bool onePass = true) =>
        Decode(message.Subject, message.Payload, maxBytes, interner, onePass);

    /// <inheritdoc cref="Decode(BusMessage, int, AllocationInterner?, bool)"/>
    public static (DesiredStateEvent? Event, DecodeError? Error) Decode(string subject, ReadOnlyMemory<byte> payload, int maxBytes, AllocationInterner? interner = null, bool onePass = true)
    {
        if (payload.Length <= maxBytes && !Utf8.IsValid(payload.Span))
        {
            // Checked here because the SDK throws (InvalidOperationException) on an attribute that is not UTF-8.
            return (null, new DecodeError(DecodeErrorKind.MalformedJson, "the message is not UTF-8 text"));
        }

        interner?.Trim();
        if (onePass && payload.Length <= maxBytes
            && PlainEnvelopeReader.TryReadTypeAndData(payload, out var plainType, out var plainData)
            && ReferenceEquals(plainType, EventTypes.AllocationChanged.WireName)
            && AllocationDataReader.TryRead(plainData.Span, interner ?? new AllocationInterner(), out var plainChange))
        {
            // The common case, a change as the Allocator writes it: no envelope object, no copies of its attributes.
            return Subjects.IsAllocationOf(subject, plainChange!.Service)
                ? (DesiredStateEvent.Changed(plainChange), null)
                : (null, new DecodeError(DecodeErrorKind.SubjectMismatch, $"allocation for {plainChange.Service} arrived on {subject}"));
        }

        CloudEvent envelope;
        if (onePass && payload.Length <= maxBytes && PlainEnvelopeReader.TryRead(payload, out var plainEnvelope))
        {
            envelope = plainEnvelope!;
        }
        else
        {
            var decoded = CloudEventCodec.Decode(payload.Span, maxBytes);
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

        if (error is null && !Subjects.IsAllocationOf(subject, e!.Service))
        {
            error = new DecodeError(DecodeErrorKind.SubjectMismatch, $"allocation for {e!.Service} arrived on {subject}");
        }

        return error is null ? (e, null) : (null, error);
    }
}
