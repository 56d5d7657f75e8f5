using Serilog;
using Serilog.Core;
using Serilog.Events;
using MelLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Beacon.Hosting.Logging;

/// <summary>Builds the process's Serilog logger from <see cref="LogOptions"/>.</summary>
public static class BeaconLogging
{
    private const string TextTemplate = "{Timestamp:HH:mm:ss.fff} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>Whether lines will be JSON: forced by the option, else JSON whenever stdout is not a terminal.</summary>
    public static bool WritesJson(LogOptions options, bool outputIsTerminal)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Format switch
        {
            LogFormat.Json => true,
            LogFormat.Text => false,
            _ => !outputIsTerminal,
        };
    }

    public static Logger Create(ServiceIdentity identity, LogOptions options)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(options);
        var level = ToSerilog(options.Level);
        var config = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            // Framework chatter stays quiet unless the operator asks for debug output.
            .MinimumLevel.Override("Microsoft", level <= LogEventLevel.Debug ? level : LogEventLevel.Warning)
            .MinimumLevel.Override("System", level <= LogEventLevel.Debug ? level : LogEventLevel.Warning)
            .Enrich.WithProperty("Service", identity.Name);
        config = WritesJson(options, !Console.IsOutputRedirected)
            ? config.WriteTo.Console(new ClefLineFormatter())
            : config.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        return config.CreateLogger();
    }

    public static LogEventLevel ToSerilog(MelLogLevel level) => level switch
    {
        MelLogLevel.Trace => LogEventLevel.Verbose,
        MelLogLevel.Debug => LogEventLevel.Debug,
        MelLogLevel.Information => LogEventLevel.Information,
        MelLogLevel.Warning => LogEventLevel.Warning,
        MelLogLevel.Error => LogEventLevel.Error,
        _ => LogEventLevel.Fatal,
    };
}
