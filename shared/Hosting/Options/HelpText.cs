using System.Text;

namespace Beacon.Hosting.Options;

/// <summary>Renders --help: every option with its type, default, description and all its spellings.</summary>
public static class HelpText
{
    public static string Render(ServiceIdentity identity, OptionCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(catalog);
        var sb = new StringBuilder();
        sb.Append(identity.Name).Append(" — ").AppendLine(identity.Summary);
        sb.AppendLine();
        sb.AppendLine("Usage: " + identity.Name + " [options]");
        sb.AppendLine();
        sb.AppendLine("Options come from appsettings.json next to the program, then BEACON_* environment variables, then the");
        sb.AppendLine("command line; later sources win. Each option below shows all three spellings. Durations are written");
        sb.AppendLine("100ms, 5s, 1m, 1h; lists are comma-separated or repeated (--name a --name b).");
        sb.AppendLine();
        sb.AppendLine("Options:");
        foreach (var option in catalog.Options)
        {
            sb.Append("  ").Append(option.Flag).Append(" <").Append(OptionValueText.Describe(option.ValueType)).AppendLine(">");
            if (option.Description.Length > 0)
                sb.Append("      ").AppendLine(option.Description);
            sb.Append("      default: ").AppendLine(OptionValueText.Format(option.DefaultValue));
            sb.Append("      env: ").Append(option.EnvironmentVariable).Append("   appsettings: \"").Append(option.Path).AppendLine("\"");
        }
        sb.AppendLine("  --help, -h");
        sb.AppendLine("      Print this help and exit.");
        sb.AppendLine();
        sb.AppendLine($"Exit codes: {ExitCodes.Success} clean stop, {ExitCodes.Failure} runtime failure, {ExitCodes.InvalidOptions} invalid options.");
        return sb.ToString();
    }
}
