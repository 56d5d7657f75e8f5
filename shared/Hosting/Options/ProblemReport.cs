using System.Text;

namespace Beacon.Hosting.Options;

/// <summary>Renders option problems for an operator: which option (every spelling), its value, what is wrong, the fix.</summary>
public static class ProblemReport
{
    public static string Render(ServiceIdentity identity, LoadedOptions loaded)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(loaded);
        var sb = new StringBuilder();
        var count = loaded.Problems.Count;
        sb.Append(identity.Name).Append(" cannot start: ").Append(count).AppendLine(count == 1 ? " invalid option." : " invalid options.");
        foreach (var problem in loaded.Problems)
        {
            var option = loaded.Catalog.Find(problem.Path);
            if (option is null)
                sb.Append("  ").AppendLine(problem.Path);
            else
                sb.Append("  ").Append(option.Flag).Append(" = ").Append(option.IsSecret ? "(hidden)" : problem.RawValue is null ? OptionValueText.Format(loaded.ValueOf(option)) : $"'{problem.RawValue}'")
                  .Append("   (env ").Append(option.EnvironmentVariable).Append(", appsettings \"").Append(option.Path).AppendLine("\")");
            sb.Append("    problem: ").AppendLine(problem.Problem);
            sb.Append("    fix:     ").AppendLine(problem.Fix);
        }
        sb.AppendLine("Run with --help to list every option with its default.");
        return sb.ToString();
    }
}
