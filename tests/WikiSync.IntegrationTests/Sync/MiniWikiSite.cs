using WikiSync.Wiki;

namespace WikiSync.IntegrationTests.Sync;

/// <summary>
/// A bare IWikiSite over <see cref="ApiClient"/> (basetimestamp/starttimestamp, createonly/nocreate,
/// editconflict), so the pipeline's tests run on the real wiki independently of the Wiki room's client.
/// </summary>
public sealed class MiniWikiSite(ApiClient api) : IWikiSite
{
    public async Task<IReadOnlyDictionary<string, WikiPage>> ReadPagesAsync(IReadOnlyCollection<string> titles, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, WikiPage>(StringComparer.Ordinal);
        foreach (var batch in titles.Chunk(50))
        {
            var answer = await api.PostAsync(new()
            {
                ["action"] = "query", ["prop"] = "revisions", ["rvprop"] = "content|timestamp|ids", ["rvslots"] = "main",
                ["curtimestamp"] = "1", ["titles"] = string.Join("|", batch),
            });
            var now = answer["curtimestamp"]!.GetValue<string>();
            var map = batch.ToDictionary(t => t, t => t, StringComparer.Ordinal);
            foreach (var n in answer["query"]?["normalized"]?.AsArray() ?? [])
            {
                var from = n!["from"]!.GetValue<string>();
                map.Remove(from);
                map[n["to"]!.GetValue<string>()] = from;
            }
            foreach (var page in answer["query"]!["pages"]!.AsArray())
            {
                var title = page!["title"]!.GetValue<string>();
                var asked = map.GetValueOrDefault(title, title);
                if (page["missing"] is not null)
                {
                    result[asked] = WikiPage.Missing(asked, now);
                    continue;
                }
                var rev = page["revisions"]![0]!;
                result[asked] = new WikiPage(asked, true, rev["slots"]!["main"]!["content"]!.GetValue<string>(),
                    rev["revid"]!.GetValue<long>(), rev["timestamp"]!.GetValue<string>(), now);
            }
        }
        return result;
    }

    public async Task<EditResult> EditAsync(EditRequest request, CancellationToken cancellationToken)
    {
        var token = (await api.GetAsync(new() { ["action"] = "query", ["meta"] = "tokens" }))["query"]!["tokens"]!["csrftoken"]!.GetValue<string>();
        var parameters = new Dictionary<string, string>
        {
            ["action"] = "edit", ["title"] = request.Title, ["text"] = request.Text, ["summary"] = request.Summary,
            ["starttimestamp"] = request.Basis.CurTimestamp, ["bot"] = "1", ["minor"] = "1", ["assert"] = "user",
        };
        if (request.Basis.Exists)
        {
            parameters["basetimestamp"] = request.Basis.Timestamp!;
            parameters["nocreate"] = "1";
        }
        else
        {
            parameters["createonly"] = "1";
        }
        parameters["token"] = token;
        var answer = await api.PostAsync(parameters);
        if (answer["error"] is { } error)
        {
            var code = error["code"]!.GetValue<string>();
            throw code == "editconflict" ? new EditConflictException(request.Title) : new WikiApiException(code, $"{code}: {error["info"]}");
        }
        var edit = answer["edit"]!;
        var changed = edit["nochange"] is null;
        return new EditResult(request.Title, changed, edit["newrevid"]?.GetValue<long>() ?? 0, edit["newtimestamp"]?.GetValue<string>());
    }
}
