using System.Globalization;

namespace Beacon.Announcer.Modes.Bird;

/// <summary>
/// Assembles BIRD control-socket lines into replies. A line is <c>NNNN-text</c> (more follows), <c>NNNN text</c>
/// (last line) or <c> text</c> (continuation of the previous code). Pure: fed one line at a time.
/// </summary>
public sealed class BirdReplyParser
{
    private readonly List<string> _lines = [];

    /// <summary>Adds a line (without the newline); returns the finished reply when this line ends it.</summary>
    public BirdReply? Add(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Length >= 5 && IsCode(line.AsSpan(0, 4)) && line[4] is ' ' or '-')
        {
            _lines.Add(line[5..]);
            if (line[4] == ' ')
            {
                var reply = new BirdReply(int.Parse(line.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture), [.. _lines]);
                _lines.Clear();
                return reply;
            }

            return null;
        }

        _lines.Add(line.StartsWith(' ') ? line[1..] : line);
        return null;
    }

    private static bool IsCode(ReadOnlySpan<char> text)
    {
        foreach (var ch in text)
        {
            if (!char.IsAsciiDigit(ch))
            {
                return false;
            }
        }

        return true;
    }
}
