using System.Collections;

namespace Beacon.Hosting.Options;

/// <summary>
/// Reads BEACON_-prefixed environment variables. Both "BEACON_HTTP_PORT" (flat, as --help prints it) and the .NET
/// convention "BEACON_Http__Port" name the option Http:Port. Unknown BEACON_ variables are reported as warnings,
/// not errors, because one environment is often shared by several Beacon components.
/// </summary>
public sealed class EnvironmentOptions
{
    private EnvironmentOptions(IReadOnlyDictionary<string, (string Variable, string Value)> values, IReadOnlyList<string> warnings)
    {
        Values = values;
        Warnings = warnings;
    }

    /// <summary>Raw values keyed by option path, with the variable they came from.</summary>
    public IReadOnlyDictionary<string, (string Variable, string Value)> Values { get; }

    public IReadOnlyList<string> Warnings { get; }

    public static EnvironmentOptions Read(IDictionary environment, OptionCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(catalog);
        var values = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        var warnings = new List<string>();
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is not string name || !name.StartsWith(OptionNames.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
                continue;
            var option = catalog.Find(name[OptionNames.EnvironmentPrefix.Length..]);
            if (option is null)
            {
                warnings.Add($"environment variable {name} matches no option of this service and is ignored");
                continue;
            }
            values[option.Path] = (name, entry.Value as string ?? string.Empty);
        }
        return new EnvironmentOptions(values, warnings);
    }
}
