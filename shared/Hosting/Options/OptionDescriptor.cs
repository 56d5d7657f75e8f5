using System.Reflection;

namespace Beacon.Hosting.Options;

/// <summary>
/// One settable option, with every spelling an operator can use for it:
/// appsettings path "Http:Port", flag "--http-port", environment variable "BEACON_HTTP_PORT".
/// </summary>
public sealed class OptionDescriptor
{
    private static readonly string[] SecretWords = ["password", "token", "secret"];

    private readonly int _root;
    private readonly PropertyInfo[] _chain;

    internal OptionDescriptor(int root, PropertyInfo[] chain, string description, object? defaultValue)
    {
        _root = root;
        _chain = chain;
        Path = string.Join(':', chain.Select(p => p.Name));
        Flag = "--" + string.Join('-', chain.Select(p => OptionNames.Kebab(p.Name)));
        EnvironmentVariable = OptionNames.EnvironmentPrefix + string.Join('_', chain.Select(p => OptionNames.Kebab(p.Name).Replace('-', '_').ToUpperInvariant()));
        Description = description;
        DefaultValue = defaultValue;
    }

    public string Path { get; }

    public string Flag { get; }

    public string EnvironmentVariable { get; }

    public string Description { get; }

    public Type ValueType => _chain[^1].PropertyType;

    public object? DefaultValue { get; }

    public bool IsBoolean => (Nullable.GetUnderlyingType(ValueType) ?? ValueType) == typeof(bool);

    public bool IsList => OptionValueText.IsList(ValueType);

    /// <summary>Passwords, tokens and secrets: their values are never printed in reports or logs.</summary>
    public bool IsSecret => SecretWords.Any(w => _chain[^1].Name.Contains(w, StringComparison.OrdinalIgnoreCase));

    /// <summary>The value as it may be shown to an operator: secrets are hidden.</summary>
    public string Display(object? value) => IsSecret && value is string { Length: > 0 } ? "(hidden)" : OptionValueText.Format(value);

    /// <summary>"--http-port, BEACON_HTTP_PORT, appsettings Http:Port".</summary>
    public string Spellings => $"{Flag}, {EnvironmentVariable}, appsettings \"{Path}\"";

    internal object? GetValue(IReadOnlyList<IOptionSection> roots)
    {
        object? current = roots[_root];
        foreach (var property in _chain)
        {
            if (current is null)
                return null;
            current = property.GetValue(current);
        }
        return current;
    }

    internal void SetValue(IReadOnlyList<IOptionSection> roots, object? value)
    {
        object owner = roots[_root];
        foreach (var property in _chain[..^1])
        {
            // Sections default to an instance (the catalog checks that), so a missing one is a programming error.
            owner = property.GetValue(owner)
                ?? throw new InvalidOperationException($"Option section {property.Name} was set to null; option sections must stay instances.");
        }
        _chain[^1].SetValue(owner, value);
    }
}
