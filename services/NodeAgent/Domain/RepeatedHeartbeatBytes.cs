namespace Beacon.NodeAgent.Domain;

/// <summary>
/// Whether a heartbeat's bytes repeat an earlier one's from the same subject except for the three values every
/// heartbeat changes: the envelope's <c>id</c> and <c>time</c> and the data's <c>sentAt</c> (a random id, the send
/// times). Such a heartbeat carries nothing new, so the agent takes it as the earlier one without decoding it: decoding
/// the CloudEvents JSON was the largest cost of an idle agent, which hears ≈ 115 heartbeats a second in a dual-stack
/// 3-node lab (docs/benchmarks.md, "Idle bus traffic"). Any other byte changed, added or removed is decoded and judged
/// as before.
/// </summary>
public static class RepeatedHeartbeatBytes
{
    public static bool Repeats(ReadOnlySpan<byte> previous, ReadOnlySpan<byte> current)
    {
        if (Varying(previous) is not { } a || Varying(current) is not { } b)
        {
            return false;
        }

        return previous[..a.Id.Start].SequenceEqual(current[..b.Id.Start])
            && previous[a.Id.End..a.Time.Start].SequenceEqual(current[b.Id.End..b.Time.Start])
            && previous[a.Time.End..a.SentAt.Start].SequenceEqual(current[b.Time.End..b.SentAt.Start])
            && previous[a.SentAt.End..].SequenceEqual(current[b.SentAt.End..]);
    }

    /// <summary>
    /// Where the three varying values lie. Beacon writes the envelope's id and time before its data, and sentAt after the
    /// data's labels: the first id and time, the last sentAt, so a label of one of those names is compared like any other
    /// byte. Their widths may differ (JSON times drop trailing zeros of the fraction).
    /// </summary>
    internal static ((int Start, int End) Id, (int Start, int End) Time, (int Start, int End) SentAt)? Varying(ReadOnlySpan<byte> bytes)
    {
        if (ValueAt(bytes, bytes.IndexOf("\"id\":\""u8), 6) is not { } id
            || ValueAt(bytes, After(bytes, id.End, "\"time\":\""u8), 8) is not { } time
            || ValueAt(bytes, bytes.LastIndexOf("\"sentAt\":\""u8), 10) is not { } sentAt
            || sentAt.Start < time.End)
        {
            return null;
        }

        return (id, time, sentAt);
    }

    private static int After(ReadOnlySpan<byte> bytes, int from, ReadOnlySpan<byte> key) =>
        bytes[from..].IndexOf(key) is var at and >= 0 ? from + at : -1;

    /// <summary>The string value after the key found at <paramref name="keyAt"/> (its quotes excluded).</summary>
    private static (int Start, int End)? ValueAt(ReadOnlySpan<byte> bytes, int keyAt, int keyLength)
    {
        if (keyAt < 0)
        {
            return null;
        }

        var start = keyAt + keyLength;
        var length = bytes[start..].IndexOf((byte)'"');
        return length < 0 ? null : (start, start + length);
    }
}
