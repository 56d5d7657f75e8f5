namespace Beacon.Contracts;

/// <summary>
/// Turns Kubernetes names into single NATS subject tokens and back. Kubernetes names are lowercase alphanumerics,
/// '-' and '.'; a '.' would split the token, so it is written as '_' (which Kubernetes names never contain).
/// Anything else (wildcards '*' and '>', whitespace, control characters, empty) is rejected.
/// </summary>
public static class SubjectToken
{
    public const int MaxLength = 253;

    public static bool TryEncode(string? name, out string token)
    {
        token = "";
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!IsNameCharacter(c))
            {
                return false;
            }
        }

        token = name.Replace('.', '_');
        return true;
    }

    /// <exception cref="ArgumentException">The name cannot be a subject token.</exception>
    public static string Encode(string name, string? what = null) =>
        TryEncode(name, out var token)
            ? token
            : throw new ArgumentException(
                $"'{name}' is not a valid {what ?? "name"} for a subject token (allowed: a-z A-Z 0-9 '-' '.', 1..{MaxLength} characters)",
                nameof(name));

    public static bool TryDecode(string? token, out string name)
    {
        name = "";
        if (string.IsNullOrEmpty(token) || token.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in token)
        {
            if (c != '_' && (c == '.' || !IsNameCharacter(c)))
            {
                return false;
            }
        }

        name = token.Replace('_', '.');
        return true;
    }

    /// <summary>Whether <paramref name="token"/> is <see cref="Encode"/> of <paramref name="name"/>, without encoding it.</summary>
    public static bool Encodes(ReadOnlySpan<char> token, string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || token.Length != name.Length)
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (!IsNameCharacter(c) || token[i] != (c == '.' ? '_' : c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNameCharacter(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '.';
}
