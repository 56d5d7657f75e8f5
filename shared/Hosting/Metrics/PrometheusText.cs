using System.Globalization;
using System.Text;

namespace Beacon.Hosting.Metrics;

/// <summary>Prometheus text exposition format 0.0.4: "# HELP", "# TYPE", then one line per sample.</summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void Write(TextWriter output, IEnumerable<MetricFamilySnapshot> families)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(families);
        foreach (var family in families)
        {
            output.Write("# HELP ");
            output.Write(family.Name);
            output.Write(' ');
            output.Write(EscapeHelp(family.Help));
            output.Write('\n');
            output.Write("# TYPE ");
            output.Write(family.Name);
            output.Write(' ');
            output.Write(family.Type.ToString().ToLowerInvariant());
            output.Write('\n');
            foreach (var sample in family.Samples)
            {
                output.Write(sample.Name);
                if (sample.Labels.Count > 0)
                {
                    output.Write('{');
                    for (var i = 0; i < sample.Labels.Count; i++)
                    {
                        if (i > 0)
                            output.Write(',');
                        output.Write(sample.Labels[i].Key);
                        output.Write("=\"");
                        output.Write(EscapeLabelValue(sample.Labels[i].Value));
                        output.Write('"');
                    }
                    output.Write('}');
                }
                output.Write(' ');
                output.Write(FormatValue(sample.Value));
                output.Write('\n');
            }
        }
    }

    /// <summary>HELP text escapes backslash and line feed.</summary>
    public static string EscapeHelp(string help)
    {
        ArgumentNullException.ThrowIfNull(help);
        return Escape(help, escapeQuote: false);
    }

    /// <summary>Label values escape backslash, double quote and line feed.</summary>
    public static string EscapeLabelValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Escape(value, escapeQuote: true);
    }

    /// <summary>Go-style float text: "+Inf", "-Inf", "NaN", otherwise the shortest round-trip form.</summary>
    public static string FormatValue(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string text, bool escapeQuote)
    {
        if (text.AsSpan().IndexOfAny('\\', '\n', '"') < 0)
            return text;
        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '\n': sb.Append(@"\n"); break;
                case '"' when escapeQuote: sb.Append("\\\""); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }
}
