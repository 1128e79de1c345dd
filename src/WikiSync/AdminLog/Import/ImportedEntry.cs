using System.Security.Cryptography;
using System.Text;

namespace WikiSync.AdminLog.Import;

/// <summary>An entry read from an earlier log: its time (UTC, to the minute or better), author and text as written.</summary>
public sealed record ImportedEntry(DateTimeOffset Utc, string Author, string Message, string Source, int Line)
{
    /// <summary>
    /// The store's idempotency key: the same project, time, author and message give the same key wherever
    /// they were read from (page, archive, JSON copy), so a second import adds nothing.
    /// </summary>
    public string Key(string project)
    {
        var identity = string.Join('\n', project, Utc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), Author, Message);
        return "import:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)));
    }
}

/// <summary>A line that was not taken, with where it is and why: never dropped without a word.</summary>
public sealed record ImportProblem(string Source, int Line, string Text, string Reason)
{
    public override string ToString() => $"{Source}:{Line}: {Reason}: {Text}";
}
