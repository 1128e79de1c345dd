using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using WikiSync.AdminLog;

namespace WikiSync.Cli.Commands;

/// <summary>
/// <c>wikisync sal retry ID</c> and <c>wikisync sal hide ID</c>: an operator's word on one stored entry.
/// Retry makes a refused (or hidden) entry an ordinary one again and publishes it at once, as
/// <c>wikisync log</c> does; hide keeps it in the store, marked, and off every page (a page that shows it
/// already is rendered again without it). Exit 0 done, 1 when the wiki refused it again or did not take
/// the change, 2 for an unknown id, an entry with nothing to retry, or bad configuration.
/// </summary>
internal static class SalEntryCommand
{
    public static Command Retry() => Create("retry", "Publish a refused (or hidden) Server Admin Log entry again.", RetryAsync);

    public static Command Hide() => Create("hide", "Keep a Server Admin Log entry off the wiki; it stays in the store, marked hidden.", HideAsync);

    private delegate Task<int> Verb(IServiceProvider services, long id, TextWriter output, TextWriter error, CancellationToken cancellationToken);

    private static Command Create(string name, string description, Verb verb)
    {
        var id = new Argument<long>("ID") { Description = "The entry's id (`wikisync sal list` shows it)." };
        var config = CommonOptions.Config();
        var verbose = CommonOptions.Verbose();
        var command = new Command(name, description) { id, config, verbose };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // The SAL's services without the IRC bot: the entry is the operator's word, the bot lives in `wikisync run`.
            var (opened, exitCode) = await CommonOptions.OpenAsync(parse, config, verbose, $"wikisync sal {name}", cancellationToken,
                (settings, v) => LogCommand.Services(settings, ServerAdminLogSettings.From(settings) with { Irc = null }, v));
            if (opened is null)
                return exitCode;
            await using var services = opened;

            return await verb(services, parse.GetValue(id), Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    internal static async Task<int> RetryAsync(IServiceProvider services, long id, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var change = await services.GetRequiredService<LogEntryStore>().RetryAsync(id, cancellationToken);
        if (change.Entry is not { } entry)
            return await UnknownAsync("retry", id, error);
        if (!change.Changed)
        {
            await error.WriteLineAsync($"wikisync sal retry: entry {id} is {State(entry)}, not refused or hidden; nothing to retry");
            return ExitCodes.BadConfiguration;
        }

        await output.WriteLineAsync($"entry {id} of {entry.Entry.Project} is no longer kept off the wiki");
        if (entry.State == SalEntryState.Published)
            return await RenderAgainAsync(services, entry, $"Server Admin Log entry {id} shown again", "retry", output, error, cancellationToken);
        return await LogCommand.PublishNowAsync(services, entry.Entry, "wikisync sal retry", output, error, cancellationToken);
    }

    internal static async Task<int> HideAsync(IServiceProvider services, long id, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var time = services.GetRequiredService<TimeProvider>();
        var change = await services.GetRequiredService<LogEntryStore>().HideAsync(id, time.GetUtcNow(), cancellationToken);
        if (change.Entry is not { } entry)
            return await UnknownAsync("hide", id, error);
        await output.WriteLineAsync(change.Changed
            ? $"entry {id} of {entry.Entry.Project} is hidden: it stays in the store and is on no page"
            : $"entry {id} of {entry.Entry.Project} was hidden already");
        // Only a published entry can be on a page; its pages are rendered again without it now.
        return entry.Entry.PublishedRevision is null
            ? ExitCodes.Ok
            : await RenderAgainAsync(services, entry, $"Server Admin Log entry {id} hidden", "hide", output, error, cancellationToken);
    }

    private static async Task<int> RenderAgainAsync(IServiceProvider services, StoredLogEntry entry, string summary, string verb, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        bool done;
        try
        {
            done = await services.GetRequiredService<SalPublisher>().RenderAgainAsync(entry.Entry.Project, summary, timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException && !cancellationToken.IsCancellationRequested
            || e is Wiki.WikiApiException or HttpRequestException)
        {
            done = false;
        }

        if (done)
        {
            await output.WriteLineAsync($"the Server Admin Log pages of {entry.Entry.Project} are rendered again");
            return ExitCodes.Ok;
        }

        await error.WriteLineAsync($"wikisync sal {verb}: the pages of {entry.Entry.Project} were not all saved; the next render of the Server Admin Log (a new entry, or the job's schedule) does it");
        return ExitCodes.Failed;
    }

    private static async Task<int> UnknownAsync(string verb, long id, TextWriter error)
    {
        await error.WriteLineAsync($"wikisync sal {verb}: no Server Admin Log entry with id {id}");
        return ExitCodes.BadConfiguration;
    }

    private static string State(StoredLogEntry entry) => entry.State switch
    {
        SalEntryState.Waiting => "waiting to be published",
        _ => entry.State.ToString().ToLowerInvariant(),
    };
}
