namespace Beacon.Messaging.Nats;

/// <summary>What the client accepts as a subject: dot-separated non-empty tokens without whitespace; wildcards only when subscribing.</summary>
internal static class NatsSubjectRules
{
    public static void EnsureValid(string subject, bool allowWildcards, string parameterName)
    {
        if (!IsValid(subject, allowWildcards))
        {
            throw new ArgumentException($"'{subject}' is not a valid NATS {(allowWildcards ? "subscription" : "publish")} subject", parameterName);
        }
    }

    public static bool IsValid(string? subject, bool allowWildcards)
    {
        if (string.IsNullOrEmpty(subject) || subject.Length > 1024)
        {
            return false;
        }

        var tokens = subject.Split('.');
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (token.Length == 0)
            {
                return false;
            }

            foreach (var c in token)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    return false;
                }
            }

            var wildcard = token is "*" || (token is ">" && i == tokens.Length - 1);
            if (token.Contains('*', StringComparison.Ordinal) || token.Contains('>', StringComparison.Ordinal))
            {
                if (!wildcard || !allowWildcards)
                {
                    return false;
                }
            }
        }

        return true;
    }
}
