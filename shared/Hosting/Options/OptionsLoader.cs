using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Beacon.Hosting.Options;

/// <summary>
/// Binds option classes from three layers, later ones winning: appsettings (JSON), BEACON_ environment
/// variables, then the command line. Then runs every <see cref="IValidatableOptions"/>. Never throws on bad
/// input: every unreadable or invalid value becomes an <see cref="OptionProblem"/>.
/// </summary>
public static class OptionsLoader
{
    /// <summary>Reads appsettings.json from <paramref name="baseDirectory"/> and the process environment.</summary>
    public static LoadedOptions Load(OptionCatalog catalog, IReadOnlyList<string> args, string baseDirectory)
    {
        var problems = new List<OptionProblem>();
        IConfiguration appsettings;
        try
        {
            appsettings = new ConfigurationBuilder()
                .SetBasePath(baseDirectory)
                .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
                .Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException)
        {
            appsettings = new ConfigurationBuilder().Build();
            problems.Add(new OptionProblem(Path.Combine(baseDirectory, "appsettings.json"), $"cannot be read: {e.Message}", "fix the JSON syntax or remove the file"));
        }
        var loaded = Load(catalog, args, appsettings, Environment.GetEnvironmentVariables());
        return problems.Count == 0 ? loaded
            : new LoadedOptions(catalog, loaded.Roots, loaded.HelpRequested, [.. problems, .. loaded.Problems], loaded.Warnings);
    }

    public static LoadedOptions Load(OptionCatalog catalog, IReadOnlyList<string> args, IConfiguration appsettings, IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(appsettings);
        var roots = catalog.CreateRoots();
        var commandLine = CommandLine.Parse(args, catalog);
        var env = EnvironmentOptions.Read(environment, catalog);
        var problems = new List<OptionProblem>(commandLine.Problems);

        foreach (var option in catalog.Options)
        {
            string? raw;
            string source;
            if (commandLine.Values.TryGetValue(option.Path, out var fromArgs))
                (raw, source) = (fromArgs, option.Flag);
            else if (env.Values.TryGetValue(option.Path, out var fromEnv))
                (raw, source) = (fromEnv.Value, fromEnv.Variable);
            else
                (raw, source) = (FromAppsettings(appsettings, option), $"appsettings \"{option.Path}\"");
            if (raw is null)
                continue;
            if (OptionValueText.TryParse(raw, option.ValueType, out var value, out var expected))
                option.SetValue(roots, value);
            else
                problems.Add(new OptionProblem(option.Path, $"cannot read '{raw}' (from {source}) as {expected}", $"give a value of the form {expected}", raw));
        }

        var validation = new OptionProblems();
        foreach (var root in roots)
        {
            foreach (var (section, options) in OptionCatalog.Validatables(root))
                options.Validate(section.Length == 0 ? validation : validation.Under(section));
        }
        // A value that could not be read kept its default; judging that default would only confuse.
        var unreadable = problems.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(validation.All.Where(p => !unreadable.Contains(p.Path)));
        return new LoadedOptions(catalog, roots, commandLine.HelpRequested, problems, [.. env.Warnings, .. UnknownAppsettingsKeys(catalog, appsettings)]);
    }

    /// <summary>A key in appsettings.json that no option reads is most likely a typo or a renamed option.</summary>
    private static IEnumerable<string> UnknownAppsettingsKeys(OptionCatalog catalog, IConfiguration appsettings)
    {
        foreach (var (key, value) in appsettings.AsEnumerable())
        {
            if (value is null)
                continue;
            var option = catalog.Find(key);
            if (option is null)
            {
                // "Interfaces:0" is an element of the list option "Interfaces".
                var colon = key.LastIndexOf(':');
                if (colon > 0 && int.TryParse(key.AsSpan(colon + 1), out _) && catalog.Find(key[..colon]) is { IsList: true })
                    continue;
                yield return $"appsettings key \"{key}\" matches no option of this service and is ignored";
            }
        }
    }

    private static string? FromAppsettings(IConfiguration appsettings, OptionDescriptor option)
    {
        if (option.IsList)
        {
            // JSON arrays arrive as "Path:0", "Path:1"; a plain string is taken as comma-separated.
            var items = appsettings.GetSection(option.Path).GetChildren()
                .Where(c => c.Value is not null)
                .OrderBy(c => int.TryParse(c.Key, out var i) ? i : int.MaxValue)
                .Select(c => c.Value!)
                .ToList();
            if (items.Count > 0)
                return string.Join(',', items);
        }
        return appsettings[option.Path];
    }
}
