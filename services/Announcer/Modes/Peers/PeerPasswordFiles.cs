using Beacon.Contracts;

namespace Beacon.Announcer.Modes.Peers;

/// <summary>
/// Reads peer passwords from <c>DIRECTORY/SECRET/password</c>: the Secret named by <c>passwordSecret</c> (MetalLB's
/// basic-auth Secret, key <c>password</c>) mounted at <c>DIRECTORY/SECRET</c>. A peer with an inline password reads
/// <c>DIRECTORY/PEER/password</c>: the inline value never leaves the API server, so the operator puts the same password
/// in a Secret named like the peer. Trailing newlines are dropped (a file written by hand usually has one).
/// </summary>
public sealed class PeerPasswordFiles(string directory) : IPeerPasswords
{
    public string? Read(BgpPeerConfig peer, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(peer);
        problem = null;
        if (PathOf(peer) is not { } path)
        {
            return null;
        }

        try
        {
            var password = File.ReadAllText(path).TrimEnd('\r', '\n');
            if (password.Length == 0)
            {
                problem = $"peer '{peer.Name}' needs a password but {path} is empty: the session is not configured";
            }
            else if (!IsRenderable(password))
            {
                // BIRD quotes it, vtysh and gobgp take it as one word: refuse what would not survive that.
                problem = $"the password in {path} (peer '{peer.Name}') has a space, quote, backslash or non-ASCII character, which the routing daemons do not take: the session is not configured";
            }
            else
            {
                return password;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"peer '{peer.Name}' needs a password but {path} cannot be read ({e.Message}): the session is not configured; " +
                $"mount its Secret at {Path.GetDirectoryName(path)}";
        }

        return null;
    }

    public static bool IsRenderable(string password) =>
        password.Length <= 80 && password.All(c => c is > ' ' and <= '~' and not '"' and not '\\' and not '\'');

    /// <summary>The file holding the peer's password, or null when the peer has none.</summary>
    public string? PathOf(BgpPeerConfig peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        var secret = peer.PasswordSecret is { Length: > 0 } s ? s[(s.LastIndexOf('/') + 1)..] : peer.HasInlinePassword ? peer.Name : null;
        return secret is null ? null : Path.Combine(directory, secret, "password");
    }
}
