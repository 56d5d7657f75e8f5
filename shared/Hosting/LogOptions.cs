using System.ComponentModel;
using Beacon.Hosting.Options;
using Microsoft.Extensions.Logging;

namespace Beacon.Hosting;

/// <summary>Log verbosity and shape.</summary>
public sealed class LogOptions : IValidatableOptions
{
    [Description("Lowest level written: trace, debug, information, warning, error, critical.")]
    public LogLevel Level { get; set; } = LogLevel.Information;

    [Description("auto: text on a terminal, JSON lines otherwise; json or text force one.")]
    public LogFormat Format { get; set; } = LogFormat.Auto;

    public void Validate(OptionProblems problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (Level == LogLevel.None)
            problems.Add(nameof(Level), "'none' would silence the service entirely", "use critical for the quietest useful level");
    }
}
