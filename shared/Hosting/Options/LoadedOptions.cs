namespace Beacon.Hosting.Options;

/// <summary>The outcome of reading and validating options: the bound objects, and what was wrong.</summary>
public sealed class LoadedOptions
{
    internal LoadedOptions(OptionCatalog catalog, IReadOnlyList<IOptionSection> roots, bool helpRequested,
        IReadOnlyList<OptionProblem> problems, IReadOnlyList<string> warnings)
    {
        Catalog = catalog;
        Roots = roots;
        HelpRequested = helpRequested;
        Problems = problems;
        Warnings = warnings;
    }

    public OptionCatalog Catalog { get; }

    public IReadOnlyList<IOptionSection> Roots { get; }

    public bool HelpRequested { get; }

    public IReadOnlyList<OptionProblem> Problems { get; }

    public IReadOnlyList<string> Warnings { get; }

    public bool IsValid => Problems.Count == 0;

    public T Get<T>() where T : class => Roots.OfType<T>().Single();

    /// <summary>"--flag=value" for every option whose value differs from its default, secrets hidden; for the start log.</summary>
    public IReadOnlyList<string> ChangedFromDefaults() =>
        Catalog.Options
            .Where(o => OptionValueText.Format(o.GetValue(Roots)) != OptionValueText.Format(o.DefaultValue))
            .Select(o => $"{o.Flag}={o.Display(o.GetValue(Roots))}")
            .ToList();

    /// <summary>The current value of an option, by path, for messages.</summary>
    public object? ValueOf(OptionDescriptor option)
    {
        ArgumentNullException.ThrowIfNull(option);
        return option.GetValue(Roots);
    }
}
