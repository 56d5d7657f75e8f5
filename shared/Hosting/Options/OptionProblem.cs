namespace Beacon.Hosting.Options;

/// <summary>
/// One invalid option: which one (configuration path such as "Http:Port"), what is wrong, how to fix it.
/// <paramref name="RawValue"/> is the text given when it could not even be read; otherwise the report shows the bound value.
/// </summary>
public sealed record OptionProblem(string Path, string Problem, string Fix, string? RawValue = null);
