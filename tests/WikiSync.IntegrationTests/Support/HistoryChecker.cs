using System.Text.Json;
using System.Text.RegularExpressions;

namespace WikiSync.IntegrationTests.Support;

/// <summary>A revision by the bot that changed text outside its markers.</summary>
public sealed record HistoryViolation(string Title, long RevisionId, long ParentId, string Reason)
{
    public override string ToString() => $"{Title} r{RevisionId} (parent r{ParentId}): {Reason}";
}

public sealed record HistoryReport(int Pages, int Revisions, int BotRevisions, int OtherRevisions, IReadOnlyList<HistoryViolation> Violations);

/// <summary>
/// Walks every revision of the pages given and checks the history invariant: each revision saved by the
/// bot changed only text inside its markers. The text outside (every byte, with each generated block
/// replaced by a placeholder) must equal the parent revision's; a block the bot added may only bring
/// white space with it at the place where it was inserted. A revision that creates a page is not
/// checked (the skeleton is the bot's own text).
/// </summary>
public sealed class HistoryChecker(HttpClient http, Uri api, string botUser)
{
    /// <summary>The account name revisions are saved under: "Bot" for the bot password "Bot@App".</summary>
    private readonly string _botUser = botUser.Split('@')[0].Replace('_', ' ');

    public async Task<HistoryReport> CheckAsync(IEnumerable<string> titles, CancellationToken cancellationToken = default)
    {
        var violations = new List<HistoryViolation>();
        int pages = 0, revisions = 0, bot = 0, other = 0;
        foreach (var title in titles)
        {
            pages++;
            var history = await RevisionsAsync(title, cancellationToken);
            revisions += history.Count;
            for (var i = 0; i < history.Count; i++)
            {
                var revision = history[i];
                if (!string.Equals(revision.User, _botUser, StringComparison.OrdinalIgnoreCase))
                {
                    other++;
                    continue;
                }
                bot++;
                if (i == 0)
                    continue;
                if (Compare(history[i - 1].Text, revision.Text) is { } reason)
                    violations.Add(new HistoryViolation(title, revision.Id, history[i - 1].Id, reason));
            }
        }
        return new HistoryReport(pages, revisions, bot, other, violations);
    }

    /// <summary>Null when <paramref name="child"/> changed only generated text of <paramref name="parent"/>; else why not.</summary>
    public static string? Compare(string parent, string child)
    {
        var before = MarkerScan.Of(parent);
        var after = MarkerScan.Of(child);
        if (before.IsBroken)
            return parent == child ? null : $"edited a page whose markers are broken ({before.Problem})";
        if (after.IsBroken)
            return $"left broken markers ({after.Problem})";
        var removed = before.Names.Except(after.Names).ToList();
        if (removed.Count > 0)
            return $"removed section(s) {string.Join(", ", removed)}";
        var added = after.Names.Except(before.Names).ToHashSet(StringComparer.Ordinal);
        var p = before.Outside(parent);
        var c = after.Outside(child, added);
        if (added.Count == 0)
            return p == c ? null : Difference(p, c);
        // Each added block may bring white space on either side of it, nothing else.
        var pieces = c.Split('\u0002');
        var trimmed = pieces.Select((piece, n) =>
            Regex.Escape(n == 0 ? piece.TrimEnd() : n == pieces.Length - 1 ? piece.TrimStart() : piece.Trim()));
        var pattern = "^" + string.Join(@"\s*", trimmed) + "$";
        return Regex.IsMatch(p, pattern, RegexOptions.None, TimeSpan.FromSeconds(5))
            ? null
            : $"added section(s) {string.Join(", ", added)} and changed text outside them: {Difference(p, c.Replace("\u0002", "", StringComparison.Ordinal))}";
    }

    private static string Difference(string before, string after)
    {
        var at = 0;
        while (at < before.Length && at < after.Length && before[at] == after[at])
            at++;
        static string Around(string s, int at) =>
            JsonSerializer.Serialize(s.Substring(Math.Max(0, at - 30), Math.Min(s.Length, at + 30) - Math.Max(0, at - 30)));
        return $"outside text differs at char {at}: was {Around(before, at)}, now {Around(after, at)}";
    }

    private sealed record Revision(long Id, long ParentId, string User, string Text);

    private async Task<List<Revision>> RevisionsAsync(string title, CancellationToken cancellationToken)
    {
        var result = new List<Revision>();
        string? next = null;
        do
        {
            var query = "action=query&format=json&formatversion=2&prop=revisions&rvprop=ids|user|content&rvslots=main" +
                        "&rvdir=newer&rvlimit=max&titles=" + Uri.EscapeDataString(title) +
                        (next is null ? "" : "&rvcontinue=" + Uri.EscapeDataString(next) + "&continue=" + Uri.EscapeDataString("||"));
            using var response = await http.GetAsync(new Uri(api + "?" + query), cancellationToken);
            response.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            if (doc.RootElement.TryGetProperty("error", out var error))
                throw new InvalidOperationException($"History of \"{title}\": {error}");
            var page = doc.RootElement.GetProperty("query").GetProperty("pages")[0];
            if (page.TryGetProperty("revisions", out var revisions))
            {
                foreach (var r in revisions.EnumerateArray())
                {
                    var text = r.GetProperty("slots").GetProperty("main").TryGetProperty("content", out var content) ? content.GetString() ?? "" : "";
                    result.Add(new Revision(r.GetProperty("revid").GetInt64(), r.GetProperty("parentid").GetInt64(),
                        r.TryGetProperty("user", out var user) ? user.GetString() ?? "" : "", text));
                }
            }
            next = doc.RootElement.TryGetProperty("continue", out var cont) && cont.TryGetProperty("rvcontinue", out var rv) ? rv.GetString() : null;
        }
        while (next is not null);
        return result;
    }
}
