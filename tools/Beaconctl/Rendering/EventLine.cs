using System.Globalization;
using System.Text;
using Beacon.Contracts;

namespace Beacon.Ctl.Rendering;

/// <summary>One decoded CloudEvent as one line: time, type, NATS subject, CloudEvents subject, source, data. Pure.</summary>
public static class EventLine
{
    public static string Format(string natsSubject, CloudEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var time = (e.Time ?? DateTimeOffset.UtcNow).ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        return $"{time} {e.Type} {natsSubject} subject={e.Subject ?? "-"} source={e.Source} data={Encoding.UTF8.GetString(e.Data.Span)}";
    }

    /// <summary>A message that is not a CloudEvent is still shown (it is what a user debugging the bus wants to see).</summary>
    public static string Undecodable(string natsSubject, DecodeError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return $"{DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)} (not a CloudEvent: {error.Message}) {natsSubject}";
    }
}
