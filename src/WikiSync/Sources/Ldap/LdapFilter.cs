using System.Text;

namespace WikiSync.Sources.Ldap;

/// <summary>LDAP search filters (RFC 4515) built from untrusted values.</summary>
public static class LdapFilter
{
    /// <summary>
    /// Escapes a value for use in a filter: <c>\ * ( )</c> and NUL per RFC 4515, plus every other control
    /// character, each as <c>\XX</c> of its UTF-8 bytes. Non-ASCII text stays as UTF-8.
    /// </summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length + 8);
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.Value is '\\' or '*' or '(' or ')' or < 0x20 or 0x7f)
                builder.Append('\\').Append(((byte)rune.Value).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            else
                builder.Append(rune.ToString());
        }
        return builder.ToString();
    }

    /// <summary><c>(attribute=value)</c> with the value escaped.</summary>
    public static string Equal(string attribute, string value) => $"({attribute}={Escape(value)})";

    /// <summary>The OR of <paramref name="terms"/>; a single term stays as it is.</summary>
    public static string Or(IReadOnlyCollection<string> terms) =>
        terms.Count == 1 ? terms.First() : "(|" + string.Concat(terms) + ")";

    public static string And(params string[] terms) => "(&" + string.Concat(terms) + ")";

    /// <summary>A cheap check that a configured filter is one parenthesised expression.</summary>
    internal static bool LooksBalanced(string filter)
    {
        if (string.IsNullOrWhiteSpace(filter) || filter[0] != '(' || filter[^1] != ')')
            return false;
        var depth = 0;
        for (var i = 0; i < filter.Length; i++)
        {
            if (filter[i] == '\\')
            {
                i += 2;
                continue;
            }
            depth += filter[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth < 0 || (depth == 0 && i < filter.Length - 1))
                return false;
        }
        return depth == 0;
    }
}
