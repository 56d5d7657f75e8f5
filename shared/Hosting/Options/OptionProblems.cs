namespace Beacon.Hosting.Options;

/// <summary>
/// Collects option problems during validation. Paths are relative to the section this instance is scoped to
/// (use <c>nameof(Property)</c>); the host turns them into the command-line, environment and appsettings spellings.
/// </summary>
public sealed class OptionProblems
{
    private readonly List<OptionProblem> _all;
    private readonly string _prefix;

    public OptionProblems() : this([], string.Empty)
    {
    }

    private OptionProblems(List<OptionProblem> all, string prefix)
    {
        _all = all;
        _prefix = prefix;
    }

    public IReadOnlyList<OptionProblem> All => _all;

    public bool Any => _all.Count > 0;

    /// <summary>Problems for a nested section, e.g. <c>Under("Nats")</c> turns "Url" into "Nats:Url".</summary>
    public OptionProblems Under(string section)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(section);
        return new OptionProblems(_all, Qualify(section));
    }

    public void Add(string option, string problem, string fix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(option);
        _all.Add(new OptionProblem(Qualify(option), problem, fix));
    }

    public void RequirePositive(string option, TimeSpan value, string example)
    {
        if (value <= TimeSpan.Zero)
            Add(option, $"must be a duration greater than zero, but is {DurationText.Format(value)}", $"set a positive duration such as {example}");
    }

    public void RequireNotNegative(string option, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
            Add(option, $"must not be negative, but is {DurationText.Format(value)}", "set zero or a positive duration such as 100ms");
    }

    public void RequireRange(string option, long value, long min, long max)
    {
        if (value < min || value > max)
            Add(option, $"must be between {min} and {max}, but is {value}", $"set a whole number from {min} to {max}");
    }

    public void RequireNotBlank(string option, string? value, string fix)
    {
        if (string.IsNullOrWhiteSpace(value))
            Add(option, "is required but empty", fix);
    }

    public void RequireSet<T>(string option, T? value, string fix)
        where T : struct
    {
        if (value is null)
            Add(option, "is required but not set", fix);
    }

    private string Qualify(string option) => _prefix.Length == 0 ? option : _prefix + ":" + option;
}
