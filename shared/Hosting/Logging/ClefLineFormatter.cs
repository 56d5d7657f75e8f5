using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Json;
using Serilog.Parsing;

namespace Beacon.Hosting.Logging;

/// <summary>
/// One JSON object per line: Serilog.Formatting.Compact's CLEF (<c>@t</c>, <c>@mt</c>, <c>@l</c>, <c>@x</c>, then the
/// properties, '@' names escaped as '@@') plus the two keys Beacon's log readers have relied on since the first
/// release: <c>@l</c> on every event (CLEF leaves it out for Information) and <c>@m</c>, the message with the values
/// filled in and text values unquoted, so a line reads without the template.
/// </summary>
public sealed class ClefLineFormatter : ITextFormatter
{
    private readonly CompactJsonFormatter _clef = new();

    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        using var clef = new StringWriter(CultureInfo.InvariantCulture);
        _clef.Format(logEvent, clef);
        var line = clef.GetStringBuilder();

        output.Write('{');
        if (logEvent.Level == LogEventLevel.Information)
            output.Write("\"@l\":\"Information\",");
        output.Write("\"@m\":");
        JsonValueFormatter.WriteQuotedJsonString(RenderMessage(logEvent), output);
        output.Write(',');
        // CompactJsonFormatter's line without its opening brace; it ends with the newline.
        output.Write(line.ToString(1, line.Length - 1));
    }

    private static string RenderMessage(LogEvent logEvent)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is PropertyToken property
                && logEvent.Properties.TryGetValue(property.PropertyName, out var value)
                && value is ScalarValue { Value: string text })
                writer.Write(text);
            else
                token.Render(logEvent.Properties, writer, CultureInfo.InvariantCulture);
        }
        return writer.ToString();
    }
}
