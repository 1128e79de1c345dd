namespace WikiSync.AdminLog.Irc;

/// <summary>One IRC protocol line (RFC 1459/2812): <c>[:prefix] COMMAND param... [:trailing]</c>; IRCv3 tags are skipped.</summary>
public sealed record IrcLine(string? Prefix, string Command, IReadOnlyList<string> Parameters)
{
    public string this[int index] => index < Parameters.Count ? Parameters[index] : "";

    public static IrcLine Parse(string line)
    {
        var rest = line.TrimEnd('\r', '\n').AsSpan();
        if (rest.StartsWith("@"))
        {
            var space = rest.IndexOf(' ');
            rest = space < 0 ? [] : rest[(space + 1)..].TrimStart(' ');
        }

        string? prefix = null;
        if (rest.StartsWith(":"))
        {
            var space = rest.IndexOf(' ');
            prefix = (space < 0 ? rest[1..] : rest[1..space]).ToString();
            rest = space < 0 ? [] : rest[(space + 1)..].TrimStart(' ');
        }

        var parameters = new List<string>();
        string command = "";
        var first = true;
        while (rest.Length > 0)
        {
            if (!first && rest[0] == ':')
            {
                parameters.Add(rest[1..].ToString());
                break;
            }

            var space = rest.IndexOf(' ');
            var word = (space < 0 ? rest : rest[..space]).ToString();
            if (first)
            {
                command = word.ToUpperInvariant();
                first = false;
            }
            else
            {
                parameters.Add(word);
            }

            rest = space < 0 ? [] : rest[(space + 1)..].TrimStart(' ');
        }

        return new IrcLine(prefix, command, parameters);
    }
}
