using WikiSync.AdminLog;
using WikiSync.Sync;

namespace WikiSync.Testing;

/// <summary>
/// Stands in for the SyncRunner on the SAL jobs when the wiki is not the subject (unit tests, and the IRC
/// integration tests): "saves" the full log page of each project as one line per
/// stored entry, counting edits; each outcome names the entries the page carries, as the real runner's plan does. Can be made to fail, or to block until released.
/// </summary>
public sealed class FakeSalRunner(LogEntryStore store) : ISyncRunner
{
    private long _revision = 100;
    private readonly Dictionary<string, string> _pages = [];

    public List<SyncRequest> Requests { get; } = [];

    public int Edits { get; private set; }

    public Func<SyncRequest, Exception?> Fail { get; set; } = _ => null;

    /// <summary>Throws after saving, like a process killed between the edit and recording it.</summary>
    public bool ThrowAfterSave { get; set; }

    public TaskCompletionSource? Gate { get; set; }

    /// <summary>A page whose text or summary holds this is refused for its content, as the real wiki refuses WIKISYNC-SPAM-TEST.</summary>
    public string? RefuseContaining { get; set; }

    /// <summary>The pages refused so far (each refused try).</summary>
    public int Refusals { get; private set; }

    public string? PageText(string project)
    {
        lock (_pages)
        {
            return _pages.GetValueOrDefault($"Nova Resource:{project}/SAL");
        }
    }

    public async Task<SyncReport> RunAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add(request);
        }

        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (Fail(request) is { } failure)
        {
            throw failure;
        }

        var outcomes = new List<PageOutcome>();
        foreach (var project in request.Projects)
        {
            var title = $"Nova Resource:{project}/SAL";
            var entries = (await store.ListAsync(project, null, cancellationToken)).Where(e => request.SalWithheld?.Contains(e.Id) != true).ToList();
            var text = string.Concat(entries.Select(e => $"* {e.ReceivedUtc:HH:mm} {e.Author}: {e.Message} <span id=\"{e.Anchor}\"></span>\n"));
            lock (_pages)
            {
                if (RefuseContaining is { } marker && _pages.GetValueOrDefault(title) != text
                    && (text.Contains(marker, StringComparison.Ordinal) || request.Summary?.Contains(marker, StringComparison.Ordinal) == true))
                {
                    Refusals++;
                    var refused = InMemoryWiki.SpamDetected(title, marker);
                    outcomes.Add(new PageOutcome(title, PageAction.Failed, ["sal"], refused.Message) { Refusal = new ContentRefusal(refused.Code, refused.Message) { SalEntryIds = [.. entries.Select(e => e.Id)] } });
                    continue;
                }

                // The publisher may run passes side by side (sweep and signal): decide and "save" as one step.
                if (_pages.GetValueOrDefault(title) == text)
                {
                    outcomes.Add(new PageOutcome(title, PageAction.Unchanged, [], RevisionId: _revision, Text: text) { SalEntryIds = [.. entries.Select(e => e.Id)] });
                    continue;
                }

                _pages[title] = text;
                Edits++;
                _revision++;
                outcomes.Add(new PageOutcome(title, PageAction.Updated, ["sal"], RevisionId: _revision, Text: text) { SalEntryIds = [.. entries.Select(e => e.Id)] });
            }
        }

        if (ThrowAfterSave)
        {
            throw new InvalidOperationException("killed after the edit");
        }

        return new SyncReport(outcomes, []);
    }
}
