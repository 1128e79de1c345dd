using System.Globalization;
using System.Text;

namespace WikiSync.Sources.Ldap;

/// <summary>Just enough of RFC 4514 to compare DNs and read their first RDN, whatever way a server escapes them.</summary>
public static class DistinguishedName
{
    /// <summary>The RDNs of <paramref name="dn"/>, split at unescaped commas, still escaped.</summary>
    public static IReadOnlyList<string> Split(string dn)
    {
        ArgumentNullException.ThrowIfNull(dn);
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i < dn.Length; i++)
        {
            if (dn[i] == '\\')
                i++;
            else if (dn[i] == ',')
            {
                parts.Add(dn[start..i].Trim());
                start = i + 1;
            }
        }
        if (dn.Length > 0)
            parts.Add(dn[start..].Trim());
        return parts;
    }

    /// <summary>The attribute type and unescaped value of the first RDN, or null when it has none.</summary>
    public static (string Type, string Value)? FirstRdn(string dn)
    {
        var rdns = Split(dn);
        return rdns.Count == 0 ? null : ParseRdn(rdns[0]);
    }

    /// <summary>
    /// A comparable form: types lower-cased, values unescaped and lower-cased (the naming attributes
    /// used for people and groups match case-insensitively).
    /// </summary>
    public static string Normalize(string dn) =>
        string.Join(',', Split(dn).Select(rdn => ParseRdn(rdn) is { } p
            ? p.Type.ToLowerInvariant() + "=" + p.Value.ToLowerInvariant()
            : rdn.ToLowerInvariant()));

    private static (string Type, string Value)? ParseRdn(string rdn)
    {
        var eq = rdn.IndexOf('=', StringComparison.Ordinal);
        return eq <= 0 ? null : (rdn[..eq].Trim(), Unescape(rdn[(eq + 1)..].Trim()));
    }

    private static string Unescape(string value)
    {
        var bytes = new List<byte>();
        var buffer = new StringBuilder();
        void Flush()
        {
            if (bytes.Count == 0)
                return;
            buffer.Append(Encoding.UTF8.GetString(bytes.ToArray()));
            bytes.Clear();
        }
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 2 < value.Length
                && byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
                continue;
            }
            Flush();
            if (value[i] == '\\' && i + 1 < value.Length)
                i++;
            buffer.Append(value[i]);
        }
        Flush();
        return buffer.ToString();
    }
}
