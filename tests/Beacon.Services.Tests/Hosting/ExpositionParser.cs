using System.Globalization;
using System.Text;

namespace Beacon.Services.Tests.Hosting;

/// <summary>
/// An independent reader of the Prometheus text format, written from the format description, so the tests check the
/// writer against the format rather than against itself.
/// </summary>
internal static class ExpositionParser
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public sealed record Family(string Name, string Help, string Type, List<Sample> Samples);

    public static List<Family> Parse(string text)
    {
        text.Should().EndWith("\n", "every line, including the last, ends with a line feed");
        var families = new List<Family>();
        Family? current = null;
        foreach (var line in text[..^1].Split('\n'))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var rest = line["# HELP ".Length..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                current = new Family(rest[..space], UnescapeHelp(rest[(space + 1)..]), "", []);
                families.Add(current);
            }
            else if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                current.Should().NotBeNull();
                parts[2].Should().Be(current!.Name, "TYPE follows HELP of the same family");
                families[^1] = current = current with { Type = parts[3] };
            }
            else
            {
                current.Should().NotBeNull("samples belong to a declared family");
                current!.Samples.Add(ParseSample(line));
            }
        }
        return families;
    }

    private static Sample ParseSample(string line)
    {
        var i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ')
            i++;
        var name = line[..i];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                var label = line[i..eq];
                line[eq + 1].Should().Be('"');
                i = eq + 2;
                var value = new StringBuilder();
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        value.Append(line[i] switch { 'n' => '\n', '\\' => '\\', '"' => '"', var c => throw new FormatException($"bad escape \\{c}") });
                    }
                    else
                    {
                        value.Append(line[i]);
                    }
                    i++;
                }
                labels.Add(label, value.ToString());
                i++;
                if (line[i] == ',')
                    i++;
            }
            i++;
        }
        line[i].Should().Be(' ');
        var text = line[(i + 1)..];
        var number = text switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new Sample(name, labels, number);
    }

    private static string UnescapeHelp(string help)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < help.Length; i++)
        {
            if (help[i] == '\\' && i + 1 < help.Length)
            {
                i++;
                sb.Append(help[i] == 'n' ? '\n' : help[i]);
            }
            else
            {
                sb.Append(help[i]);
            }
        }
        return sb.ToString();
    }
}
