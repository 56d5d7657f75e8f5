using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NATS.NKeys;

namespace Beacon.Messaging.Tests.Security;

/// <summary>
/// NATS JWTs (v2) as <c>nsc</c> issues them, for a test-only operator: header <c>{"typ":"JWT","alg":"ed25519-nkey"}</c>,
/// the claims, and the issuer's Ed25519 signature over both, base64url-encoded. Only what the test needs; no
/// library for issuing NATS JWTs is on the package source (NATS.NKeys signs, it does not write JWTs).
/// </summary>
internal static class NatsJwt
{
    public static string Issue(KeyPair issuer, string subject, string name, JsonObject nats)
    {
        var claims = new JsonObject
        {
            ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["iss"] = issuer.GetPublicKey(),
            ["name"] = name,
            ["sub"] = subject,
            ["nats"] = nats,
        };
        // jti: a hash of the claims, as the Go library computes it (base32 of SHA-256, no padding).
        claims["jti"] = Base32(SHA256.HashData(Encoding.UTF8.GetBytes(claims.ToJsonString())));
        var signingInput = Url("""{"typ":"JWT","alg":"ed25519-nkey"}"""u8.ToArray()) + "." + Url(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = new byte[64];
        issuer.Sign(Encoding.ASCII.GetBytes(signingInput), signature);
        return signingInput + "." + Url(signature);
    }

    /// <summary>A .creds file's text, as <c>nsc generate creds</c> writes it.</summary>
    public static string Credentials(string userJwt, string userSeed) => $"""
        -----BEGIN NATS USER JWT-----
        {userJwt}
        ------END NATS USER JWT------

        ************************* IMPORTANT *************************
        NKEY Seed printed below can be used to sign and prove identity.
        NKEYs are sensitive and should be treated as secrets.

        -----BEGIN USER NKEY SEED-----
        {userSeed}
        ------END USER NKEY SEED------

        *************************************************************

        """;

    private static string Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Base32(byte[] bytes)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var text = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                text.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            text.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return text.ToString();
    }
}
