using System.Buffers;
using System.Globalization;
using System.Text;

namespace Beacon.Messaging.Nats;

/// <summary>
/// Parses server operations from received bytes (pure; no I/O). A frame is consumed only when complete, so callers
/// can feed it whatever the socket returned and call again when more arrives.
/// </summary>
internal static class NatsFrameReader
{
    /// <summary>The server's default max_control_line.</summary>
    public const int MaxControlLine = 4096;

    /// <exception cref="NatsProtocolException">The bytes cannot be NATS protocol.</exception>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maxPayload, out NatsFrame? frame)
    {
        frame = null;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> lineBytes, (byte)'\n'))
        {
            if (buffer.Length > MaxControlLine)
            {
                throw new NatsProtocolException("control line too long");
            }

            return false;
        }

        if (lineBytes.Length > MaxControlLine)
        {
            throw new NatsProtocolException("control line too long");
        }

        var line = Encoding.UTF8.GetString(lineBytes).TrimEnd('\r');
        var space = line.IndexOfAny([' ', '\t']);
        var op = space < 0 ? line : line[..space];
        var rest = space < 0 ? "" : line[(space + 1)..].Trim();
        switch (op.ToUpperInvariant())
        {
            case "MSG":
                if (!TryReadMessage(ref reader, rest, maxPayload, out frame))
                {
                    return false;
                }

                break;
            case "PING":
                frame = new NatsFrame(NatsOp.Ping, "");
                break;
            case "PONG":
                frame = new NatsFrame(NatsOp.Pong, "");
                break;
            case "+OK":
                frame = new NatsFrame(NatsOp.Ok, "");
                break;
            case "-ERR":
                frame = new NatsFrame(NatsOp.Err, rest.Trim('\''));
                break;
            case "INFO":
                frame = new NatsFrame(NatsOp.Info, rest);
                break;
            default:
                throw new NatsProtocolException($"unknown operation '{(op.Length > 16 ? op[..16] : op)}'");
        }

        buffer = buffer.Slice(reader.Position);
        return true;
    }

    private static bool TryReadMessage(ref SequenceReader<byte> reader, string arguments, int maxPayload, out NatsFrame? frame)
    {
        frame = null;
        var parts = arguments.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is not (3 or 4)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var sid)
            || !int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            throw new NatsProtocolException("malformed MSG");
        }

        if (size > maxPayload)
        {
            throw new NatsProtocolException($"MSG of {size} bytes exceeds {maxPayload}");
        }

        if (reader.Remaining < size + 2)
        {
            return false;
        }

        var payload = reader.UnreadSequence.Slice(0, size).ToArray();
        reader.Advance(size + 2);
        frame = new NatsFrame(NatsOp.Msg, "", parts[0], sid, parts.Length == 4 ? parts[2] : null, payload);
        return true;
    }
}
