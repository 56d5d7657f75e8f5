using System.Text.RegularExpressions;

namespace Beacon.NodeAgent.Domain;

/// <summary>
/// An LBNodeAgent's <c>localInterface</c> as PureLB reads it: <c>default</c>, or a regular expression matched
/// unanchored against interface names (<c>enp0s.*</c>). Beacon announces on one interface, so an exact name wins and
/// otherwise the first matching name in ordinal order is used. Pure.
/// </summary>
public static class InterfacePattern
{
    /// <summary>The interface to use, or null when nothing matches (or the pattern is not a valid expression).</summary>
    public static string? Resolve(string pattern, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(names);
        var list = names.ToList();
        if (list.Contains(pattern, StringComparer.Ordinal))
        {
            return pattern;
        }

        Regex regex;
        try
        {
            regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException)
        {
            return null;
        }

        return list.Where(n => regex.IsMatch(n)).Order(StringComparer.Ordinal).FirstOrDefault();
    }
}
