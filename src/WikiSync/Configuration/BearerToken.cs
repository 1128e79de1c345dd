using System.Security.Cryptography;
using System.Text;

namespace WikiSync.Configuration;

/// <summary>
/// The one check of an <c>Authorization: Bearer …</c> header against the configured HTTP token (POST /log,
/// refreshes from scripts). Both sides are hashed first, so the comparison takes the same time whatever
/// the presented token's length or content.
/// </summary>
public static class BearerToken
{
    private const string Scheme = "Bearer ";

    /// <summary>Whether <paramref name="authorization"/> carries <paramref name="token"/>; never when no token is configured.</summary>
    public static bool Matches(string? authorization, string? token)
    {
        if (string.IsNullOrEmpty(token) || authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
            return false;
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(authorization[Scheme.Length..].Trim())),
            SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }
}
