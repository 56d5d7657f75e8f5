using System.Globalization;

namespace Beacon.NodeAgent.Domain;

/// <summary>
/// The sending side of <see cref="RepeatedHeartbeatBytes"/>: a routine heartbeat that repeats the previous one in all
/// but its id and times is the previous one's encoded bytes with a new id, envelope time and sentAt written in, instead
/// of a fresh CloudEvents encoding (model to JSON element to envelope to bytes), which was a third of an idle agent's own
/// thread's CPU samples with a collection every few seconds (issue #15 item 1). The times are written in the round-trip
/// ISO 8601 form, which both the envelope's and the data's readers accept.
/// </summary>
public static class RestampedHeartbeatBytes
{
    /// <summary>The template with the three values replaced; null when it does not have them where a heartbeat has.</summary>
    /// <param name="id">Written as the codec writes new ids: 32 hex digits.</param>
    public static byte[]? From(ReadOnlySpan<byte> template, Guid id, DateTimeOffset time, DateTimeOffset sentAt)
    {
        if (RepeatedHeartbeatBytes.Varying(template) is not { } at)
        {
            return null;
        }

        Span<byte> idText = stackalloc byte[32];
        Span<byte> timeText = stackalloc byte[40];
        Span<byte> sentAtText = stackalloc byte[40];
        if (!id.TryFormat(idText, out var idLength, "N")
            || !time.UtcDateTime.TryFormat(timeText, out var timeLength, "O", CultureInfo.InvariantCulture)
            || !sentAt.TryFormat(sentAtText, out var sentAtLength, "O", CultureInfo.InvariantCulture))
        {
            return null;
        }

        var result = new byte[template.Length - (at.Id.End - at.Id.Start) - (at.Time.End - at.Time.Start) - (at.SentAt.End - at.SentAt.Start) + idLength + timeLength + sentAtLength];
        var written = 0;
        Append(result, ref written, template[..at.Id.Start]);
        Append(result, ref written, idText[..idLength]);
        Append(result, ref written, template[at.Id.End..at.Time.Start]);
        Append(result, ref written, timeText[..timeLength]);
        Append(result, ref written, template[at.Time.End..at.SentAt.Start]);
        Append(result, ref written, sentAtText[..sentAtLength]);
        Append(result, ref written, template[at.SentAt.End..]);
        return result;
    }

    private static void Append(byte[] destination, ref int written, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination.AsSpan(written));
        written += bytes.Length;
    }
}
