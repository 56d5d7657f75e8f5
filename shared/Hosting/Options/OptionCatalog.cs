using System.ComponentModel;
using System.Reflection;

namespace Beacon.Hosting.Options;

/// <summary>
/// Every option of a set of option classes, found by reflection over public settable properties.
/// Nested <see cref="IOptionSection"/> objects become sections ("Http:Port"); each must default to an instance.
/// Types are only ever taken from <see cref="IOptionSection"/> instances, so the trimmer keeps what is read here
/// (NativeAOT). Built once at start; a clash of spellings or an unsupported property type is a programming error and throws.
/// </summary>
public sealed class OptionCatalog
{
    private readonly Dictionary<string, OptionDescriptor> _byNormalizedName;

    private readonly IReadOnlyList<Func<IOptionSection>> _factories;

    private OptionCatalog(IReadOnlyList<Func<IOptionSection>> factories, List<OptionDescriptor> options)
    {
        _factories = factories;
        Options = options;
        _byNormalizedName = new Dictionary<string, OptionDescriptor>(StringComparer.Ordinal);
        foreach (var option in options)
        {
            var key = OptionNames.Normalize(option.Path);
            if (!_byNormalizedName.TryAdd(key, option))
                throw new InvalidOperationException($"Options '{_byNormalizedName[key].Path}' and '{option.Path}' have the same command-line spelling {option.Flag}; rename one.");
        }
    }

    public IReadOnlyList<OptionDescriptor> Options { get; }

    /// <summary>A catalog of option classes whose defaults are what their parameterless constructors set.</summary>
    public static OptionCatalog For<T>()
        where T : class, IOptionSection, new() => For(() => new T());

    /// <summary>A catalog whose root objects (and so defaults) come from factories, e.g. to set a per-service default port.</summary>
    public static OptionCatalog For(params Func<IOptionSection>[] rootFactories)
    {
        ArgumentNullException.ThrowIfNull(rootFactories);
        var options = new List<OptionDescriptor>();
        for (var i = 0; i < rootFactories.Length; i++)
        {
            var defaults = rootFactories[i]();
            Collect(i, defaults, [], options);
        }
        return new OptionCatalog(rootFactories, options);
    }

    /// <summary>Finds an option by any spelling: "--http-port", "Http:Port", "http-port", "HTTP_PORT".</summary>
    public OptionDescriptor? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byNormalizedName.GetValueOrDefault(OptionNames.Normalize(name));
    }

    /// <summary>Creates fresh default instances of the root option classes, in catalog order.</summary>
    public IReadOnlyList<IOptionSection> CreateRoots() => _factories.Select(f => f()).ToArray();

    /// <summary>Every option object (roots and nested sections) that validates itself, with its section path.</summary>
    internal static IEnumerable<(string Section, IValidatableOptions Options)> Validatables(IOptionSection root, string section = "")
    {
        if (root is IValidatableOptions self)
            yield return (section, self);
        foreach (var property in root.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!IsSection(property) || property.GetValue(root) is not IOptionSection child)
                continue;
            var childSection = section.Length == 0 ? property.Name : section + ":" + property.Name;
            foreach (var nested in Validatables(child, childSection))
                yield return nested;
        }
    }

    private static void Collect(int root, IOptionSection defaults, PropertyInfo[] prefix, List<OptionDescriptor> into)
    {
        foreach (var property in defaults.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0)
                continue;
            var chain = prefix.Append(property).ToArray();
            var value = property.GetValue(defaults);
            if (IsSection(property))
            {
                if (value is not IOptionSection section)
                    throw new InvalidOperationException($"Option section {string.Join(':', chain.Select(p => p.Name))} has no default instance; initialise it with '= new()'.");
                Collect(root, section, chain, into);
                continue;
            }
            if (property.SetMethod is not { IsPublic: true })
                continue;
            if (!OptionValueText.IsSupportedLeaf(property.PropertyType))
                throw new InvalidOperationException($"Option {string.Join(':', chain.Select(p => p.Name))} has type {property.PropertyType}, which the option binder does not read; use text, a number, a duration, an enum, a list of text or a nested options class implementing IOptionSection.");
            var description = property.GetCustomAttribute<DescriptionAttribute>()?.Description ?? string.Empty;
            into.Add(new OptionDescriptor(root, chain, description, value));
        }
    }

    private static bool IsSection(PropertyInfo property) =>
        property.CanRead && typeof(IOptionSection).IsAssignableFrom(property.PropertyType);
}
