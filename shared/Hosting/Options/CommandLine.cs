namespace Beacon.Hosting.Options;

/// <summary>
/// Reads the command line: "--http-port 9000", "--http-port=9000", "--Http:Port=9000", a bare "--flag" for booleans,
/// repeated list options ("--interfaces eth0 --interfaces eth1"), and "--help" / "-h".
/// Unknown options and stray words are problems, so a typo never goes unnoticed.
/// </summary>
public sealed class CommandLine
{
    private CommandLine(bool helpRequested, IReadOnlyDictionary<string, string> values, IReadOnlyList<OptionProblem> problems)
    {
        HelpRequested = helpRequested;
        Values = values;
        Problems = problems;
    }

    public bool HelpRequested { get; }

    /// <summary>Raw values keyed by option path ("Http:Port").</summary>
    public IReadOnlyDictionary<string, string> Values { get; }

    public IReadOnlyList<OptionProblem> Problems { get; }

    public static CommandLine Parse(IReadOnlyList<string> args, OptionCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(catalog);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<OptionProblem>();
        var help = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h" or "-?" or "/?")
            {
                help = true;
                continue;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                problems.Add(new OptionProblem(arg, $"unexpected argument '{arg}'", "options are written --name value or --name=value; run with --help to list them"));
                continue;
            }
            var body = arg[2..];
            string? value = null;
            var eq = body.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = body[(eq + 1)..];
                body = body[..eq];
            }
            var option = catalog.Find(body);
            if (option is null)
            {
                problems.Add(new OptionProblem("--" + body, $"unknown option --{body}", "check the spelling; run with --help to list every option"));
                if (value is null && i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    i++;
                continue;
            }
            if (value is null)
            {
                var hasNext = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
                if (hasNext)
                    value = args[++i];
                else if (option.IsBoolean)
                    value = "true";
                else
                {
                    problems.Add(new OptionProblem(option.Path, $"{option.Flag} needs a value", $"write {option.Flag} <{OptionValueText.Describe(option.ValueType)}>"));
                    continue;
                }
            }
            values[option.Path] = option.IsList && values.TryGetValue(option.Path, out var earlier) ? earlier + "," + value : value;
        }
        return new CommandLine(help, values, problems);
    }
}
