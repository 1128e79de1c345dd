using System.Text.Json;

namespace WikiSync.Wiki;

/// <summary>Reading pages: texts in batches, and only their latest revision ids.</summary>
public sealed partial class WikiSite
{
    public async Task<IReadOnlyDictionary<string, WikiPage>> ReadPagesAsync(IReadOnlyCollection<string> titles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(titles);
        var pages = new Dictionary<string, WikiPage>(StringComparer.Ordinal);
        if (titles.Count == 0)
            return pages;
        await EnsureBatchSizeAsync(cancellationToken);
        var invalid = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var batch in titles.Distinct(StringComparer.Ordinal).Chunk(_batchSize))
            await ReadBatchAsync(batch, pages, invalid, cancellationToken);
        if (invalid.Count > 0)
            throw WikiApiException.InvalidTitle(invalid, pages);
        return pages;
    }

    public async Task<IReadOnlyDictionary<string, long>> ReadLastRevisionsAsync(IReadOnlyCollection<string> titles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(titles);
        var revisions = new Dictionary<string, long>(StringComparer.Ordinal);
        if (titles.Count == 0)
            return revisions;
        await EnsureBatchSizeAsync(cancellationToken);
        var batches = titles.Distinct(StringComparer.Ordinal).Chunk(_batchSize).ToList();
        if (batches.Count == 1)
        {
            await ReadInfoBatchAsync(batches[0], revisions, cancellationToken);
            return revisions;
        }
        // Two batches at a time: these answers are cheap for the wiki (no page text), and a refresh of
        // 1,000 pages waits for them. Texts and edits stay one request at a time.
        var answers = batches.Select(_ => new Dictionary<string, long>(StringComparer.Ordinal)).ToList();
        await Parallel.ForEachAsync(Enumerable.Range(0, batches.Count), new ParallelOptions { MaxDegreeOfParallelism = ParallelInfoReads, CancellationToken = cancellationToken },
            async (i, ct) => await ReadInfoBatchAsync(batches[i], answers[i], ct));
        foreach (var (title, revision) in answers.SelectMany(a => a))
            revisions[title] = revision;
        return revisions;
    }

    private async Task ReadBatchAsync(string[] batch, Dictionary<string, WikiPage> pages, Dictionary<string, string> invalid, CancellationToken cancellationToken)
    {
        // A title cannot hold "|", but one asked with it must come back as invalid, not split in two:
        // the API takes U+001F as the separator when the value starts with it.
        var titles = batch.Any(t => t.Contains('|', StringComparison.Ordinal))
            ? "\u001f" + string.Join('\u001f', batch)
            : string.Join('|', batch);
        IReadOnlyList<KeyValuePair<string, string>> parameters =
        [
            new("action", "query"), new("prop", "revisions"), new("titles", titles),
            new("rvprop", "content|timestamp|ids"), new("rvslots", "main"), new("curtimestamp", "1"),
        ];
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        var found = new Dictionary<string, WikiPage>(StringComparer.Ordinal);
        var missing = new HashSet<string>(StringComparer.Ordinal);
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        string? curTimestamp = null;
        // Pages whose text did not fit in one answer come in the continuation.
        await foreach (var root in QueryWithContinuationAsync(parameters, cancellationToken))
        {
            curTimestamp ??= GetString(root, "curtimestamp");
            if (!root.TryGetProperty("query", out var query))
                continue;
            AddRenames(query, renamed);
            if (query.TryGetProperty("interwiki", out var interwiki))
            {
                foreach (var entry in interwiki.EnumerateArray())
                    refused[GetString(entry, "title") ?? ""] = $"a link to another wiki (prefix \"{GetString(entry, "iw")}\"), not a page of this one";
            }
            if (!query.TryGetProperty("pages", out var pageList))
                continue;
            foreach (var page in pageList.EnumerateArray())
            {
                var title = GetString(page, "title") ?? "";
                if (page.TryGetProperty("invalid", out _))
                    refused[title] = GetString(page, "invalidreason") ?? "invalid title";
                else if (page.TryGetProperty("special", out _))
                    refused[title] = "a special page, which cannot be edited";
                else if (page.TryGetProperty("missing", out _))
                    missing.Add(title);
                else if (page.TryGetProperty("revisions", out var revisions) && revisions.GetArrayLength() > 0)
                {
                    var rev = revisions[0];
                    found[title] = new WikiPage(title, true, MainSlotText(rev, title), rev.GetProperty("revid").GetInt64(), GetString(rev, "timestamp"), "")
                    {
                        PageId = GetInt64(page, "pageid") ?? 0,
                    };
                }
            }
        }

        curTimestamp ??= ApiTimestamp(_time.GetUtcNow());
        foreach (var asked in batch)
        {
            var title = Resolve(renamed, asked);
            if (refused.TryGetValue(asked, out var reason) || refused.TryGetValue(title, out reason))
                invalid[asked] = reason;
            else if (found.TryGetValue(title, out var page))
                pages[asked] = page with { CurTimestamp = curTimestamp };
            else if (missing.Contains(title))
                pages[asked] = WikiPage.Missing(title, curTimestamp);
            else
                throw WikiApiException.Unavailable("badresponse", $"The wiki's answer did not include the page \"{asked}\"; nothing was changed.");
        }
    }

    /// <summary>Recent changes are paged through at most this many answers (a bot gets 5,000 rows in each); more is "cannot tell".</summary>
    private const int RecentChangesAnswers = 3;

    public async Task<RecentEdits?> ReadRecentEditsAsync(DateTimeOffset since, IReadOnlyCollection<string> alsoRead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alsoRead);
        await EnsureSessionAsync(cancellationToken);
        // A few pages ride along in the same query (the emergency stop page: one request less every pass).
        var extra = alsoRead.Where(t => !t.Contains('|', StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).Take(_batchSize).ToList();
        List<KeyValuePair<string, string>> parameters =
        [
            new("action", "query"), new("list", "recentchanges"), new("rcprop", "ids|loginfo"), new("rctype", "edit|log"),
            new("rcend", ApiTimestamp(since)), new("rclimit", "max"),
        ];
        if (extra.Count > 0)
            parameters.AddRange([new("prop", "revisions"), new("titles", string.Join('|', extra)), new("rvprop", "content|timestamp|ids"), new("rvslots", "main"), new("curtimestamp", "1")]);
        AskUserInfoAlong(parameters);
        var superseded = new HashSet<long>();
        var touched = new HashSet<long>();
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        var found = new Dictionary<string, WikiPage>(StringComparer.Ordinal);
        string? curTimestamp = null;
        var answers = 0;
        await foreach (var root in QueryWithContinuationAsync(parameters, cancellationToken))
        {
            if (++answers > RecentChangesAnswers || !root.TryGetProperty("query", out var query))
                return null;
            curTimestamp ??= GetString(root, "curtimestamp");
            if (answers == 1)
                TakeUserInfo(query);
            if (extra.Count > 0)
                AddPlainPages(query, renamed, found);
            if (!query.TryGetProperty("recentchanges", out var changes))
            {
                // A continuation that only finishes the pages' texts.
                if (answers == 1)
                    return null;
                continue;
            }
            foreach (var change in changes.EnumerateArray())
            {
                switch (GetString(change, "type"))
                {
                    case "edit" when GetInt64(change, "old_revid") is { } parent:
                        superseded.Add(parent);
                        break;
                    case "log" when GetString(change, "logtype") is "delete" or "move" or "merge" or "import" or "protect" or "contentmodel" or "pagelang":
                        // These change a page without an edit on top of its revision (or leave a revision
                        // behind a page that is gone); the row names the page by id (0: it cannot say).
                        touched.Add(GetInt64(change, "pageid") ?? 0);
                        break;
                }
            }
        }
        curTimestamp ??= ApiTimestamp(_time.GetUtcNow());
        var pages = new Dictionary<string, WikiPage>(StringComparer.Ordinal);
        foreach (var asked in extra)
        {
            if (found.TryGetValue(Resolve(renamed, asked), out var page))
                pages[asked] = page with { CurTimestamp = curTimestamp };
        }
        return new RecentEdits(superseded, touched) { Pages = pages };
    }

    /// <summary>The pages of an answer that exist with a text or are missing; anything unusual is left for a full read to report.</summary>
    private static void AddPlainPages(JsonElement query, Dictionary<string, string> renamed, Dictionary<string, WikiPage> found)
    {
        AddRenames(query, renamed);
        if (!query.TryGetProperty("pages", out var pageList))
            return;
        foreach (var page in pageList.EnumerateArray())
        {
            var title = GetString(page, "title") ?? "";
            if (page.TryGetProperty("missing", out _) && !page.TryGetProperty("invalid", out _) && !page.TryGetProperty("special", out _))
            {
                found[title] = WikiPage.Missing(title, "");
            }
            else if (page.TryGetProperty("revisions", out var revisions) && revisions.GetArrayLength() > 0
                     && revisions[0].TryGetProperty("slots", out var slots) && slots.TryGetProperty("main", out var main) && main.TryGetProperty("content", out _))
            {
                var rev = revisions[0];
                found[title] = new WikiPage(title, true, MainSlotText(rev, title), rev.GetProperty("revid").GetInt64(), GetString(rev, "timestamp"), "")
                {
                    PageId = GetInt64(page, "pageid") ?? 0,
                };
            }
        }
    }

    /// <summary>How far back a page whose latest revision is ours is looked at for someone else's.</summary>
    private const int OtherEditLookback = 50;

    public async Task<IReadOnlyDictionary<string, OtherEdit>> ReadOtherEditsAsync(IReadOnlyDictionary<string, long> after, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(after);
        var edits = new Dictionary<string, OtherEdit>(StringComparer.Ordinal);
        var asked = after.Keys.Where(t => !t.Contains('|', StringComparison.Ordinal)).ToList();
        if (asked.Count == 0)
            return edits;
        await EnsureBatchSizeAsync(cancellationToken);
        var ours = new List<string>();
        foreach (var batch in asked.Chunk(_batchSize))
        {
            // With several titles the API gives each page's latest revision only: enough, unless it is ours.
            var root = await CallAsync([new("action", "query"), new("prop", "revisions"), new("titles", string.Join('|', batch)), new("rvprop", "ids|user|timestamp")],
                CallKind.Read, null, cancellationToken);
            if (!root.TryGetProperty("query", out var query))
                continue;
            var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
            AddRenames(query, renamed);
            var latest = new Dictionary<string, OtherEdit>(StringComparer.Ordinal);
            if (query.TryGetProperty("pages", out var pages))
            {
                foreach (var page in pages.EnumerateArray())
                {
                    if (page.TryGetProperty("revisions", out var revisions) && revisions.GetArrayLength() > 0)
                        latest[GetString(page, "title") ?? ""] = ReadOtherEdit(revisions[0]);
                }
            }
            foreach (var title in batch)
            {
                if (!latest.TryGetValue(Resolve(renamed, title), out var edit) || edit.Revision <= after[title])
                    continue;
                if (edit.User != _userName)
                    edits[title] = edit;
                else
                    ours.Add(title);
            }
        }
        foreach (var title in ours)
        {
            List<KeyValuePair<string, string>> parameters =
            [
                new("action", "query"), new("prop", "revisions"), new("titles", title), new("rvprop", "ids|user|timestamp"),
                new("rvlimit", OtherEditLookback.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ];
            if (after[title] > 0)
                parameters.Add(new("rvendid", after[title].ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var root = await CallAsync(parameters, CallKind.Read, title, cancellationToken);
            if (!root.TryGetProperty("query", out var query) || !query.TryGetProperty("pages", out var pages))
                continue;
            var other = pages.EnumerateArray()
                .SelectMany(p => p.TryGetProperty("revisions", out var r) ? r.EnumerateArray().Select(ReadOtherEdit) : Enumerable.Empty<OtherEdit>())
                .FirstOrDefault(e => e.User != _userName && e.Revision > after[title]);
            if (other is not null)
                edits[title] = other;
        }
        return edits;
    }

    private static OtherEdit ReadOtherEdit(JsonElement revision) =>
        new(revision.GetProperty("revid").GetInt64(), GetString(revision, "user") ?? "", GetString(revision, "timestamp") ?? "");

    private async Task ReadInfoBatchAsync(string[] batch, Dictionary<string, long> revisions, CancellationToken cancellationToken)
    {
        // A title holding "|" is never answered here: it is left out and the full read reports it.
        var asked = batch.Where(t => !t.Contains('|', StringComparison.Ordinal)).ToArray();
        if (asked.Length == 0)
            return;
        var root = await CallAsync([new("action", "query"), new("prop", "info"), new("titles", string.Join('|', asked))], CallKind.Read, null, cancellationToken);
        if (!root.TryGetProperty("query", out var query))
            return;
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        AddRenames(query, renamed);
        var latest = new Dictionary<string, long>(StringComparer.Ordinal);
        if (query.TryGetProperty("pages", out var pageList))
        {
            foreach (var page in pageList.EnumerateArray())
            {
                if (page.TryGetProperty("invalid", out _) || page.TryGetProperty("special", out _))
                    continue;
                var title = GetString(page, "title") ?? "";
                if (page.TryGetProperty("missing", out _))
                    latest[title] = 0;
                else if (GetInt64(page, "lastrevid") is { } revision)
                    latest[title] = revision;
            }
        }
        foreach (var title in asked)
        {
            if (latest.TryGetValue(Resolve(renamed, title), out var revision))
                revisions[title] = revision;
        }
    }

    private static string MainSlotText(JsonElement revision, string title)
    {
        if (revision.TryGetProperty("slots", out var slots) && slots.TryGetProperty("main", out var main))
        {
            if (main.TryGetProperty("content", out var content))
                return content.GetString() ?? "";
            if (main.TryGetProperty("texthidden", out _))
                throw new WikiApiException(WikiErrorKind.Refused, "texthidden", $"The current text of \"{title}\" is hidden (revision deleted); WikiSync cannot edit around it.");
        }
        throw WikiApiException.Unavailable("badresponse", $"The wiki's answer has no text for \"{title}\".");
    }

    /// <summary>The title changes a query answer lists (<c>normalized</c>, then <c>converted</c>).</summary>
    private static void AddRenames(JsonElement query, Dictionary<string, string> renamed)
    {
        foreach (var list in new[] { "normalized", "converted" })
        {
            if (query.TryGetProperty(list, out var pairs))
            {
                foreach (var pair in pairs.EnumerateArray())
                    renamed[GetString(pair, "from") ?? ""] = GetString(pair, "to") ?? "";
            }
        }
    }

    /// <summary>
    /// The title the wiki answered for one asked: normalisation (e.g. "foo_bar" -> "Foo bar") and variant
    /// conversion may both apply, one after the other.
    /// </summary>
    private static string Resolve(Dictionary<string, string> renamed, string asked)
    {
        var title = asked;
        for (var hops = 0; hops < 3 && renamed.TryGetValue(title, out var next); hops++)
            title = next;
        return title;
    }
}
