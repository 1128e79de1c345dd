using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using WikiSync.AdminLog;
using WikiSync.Configuration;
using WikiSync.Model;
using WikiSync.Storage;
using WikiSync.Composition;

namespace WikiSync.Cli.Commands;

/// <summary>
/// <c>wikisync log PROJECT MESSAGE [--author NAME]</c>: records a Server Admin Log entry through the same
/// intake as IRC, then publishes it if the wiki answers (otherwise it waits for <c>wikisync run</c>).
/// Exit 0 when stored, 1 when refused (unknown project, empty message; or the wiki refused its text, when
/// it is kept as refused) or the store fails, 2 when the
/// entry is outside <see cref="LogEntryBounds"/> (too long, NUL, unpaired surrogate).
/// </summary>
internal static class LogCommand
{
    public static Command Create()
    {
        var project = new Argument<string>("PROJECT") { Description = "The project the entry is about." };
        var message = new Argument<string[]>("MESSAGE") { Description = "The message; several words are joined by spaces.", Arity = ArgumentArity.ZeroOrMore };
        var author = new Option<string?>("--author") { Description = "Who did it (default: the login name)." };
        var config = CommonOptions.Config();
        var verbose = CommonOptions.Verbose();
        var command = new Command("log", "Record a Server Admin Log entry and publish it.") { project, message, author, config, verbose };
        command.SetAction(async (parse, cancellationToken) =>
        {
            WikiSyncSettings settings;
            ServerAdminLogOptions options;
            try
            {
                settings = CommonOptions.LoadSettings(parse, config);
                // No IRC here: the entry comes from the command line; the bot lives in `wikisync run`.
                options = ServerAdminLogSettings.From(settings) with { Irc = null };
            }
            catch (ConfigurationException e)
            {
                return CommonOptions.BadConfiguration(e);
            }

            await using var services = Services(settings, options, parse.GetValue(verbose));
            return await RunAsync(
                services,
                parse.GetValue(project) ?? "",
                string.Join(' ', parse.GetValue(message) ?? []),
                parse.GetValue(author) ?? Environment.UserName,
                Console.Out,
                Console.Error,
                cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// The services of a verb that publishes SAL entries at once. The entry is safe once stored; a person at
    /// a terminal gets one quick try at the wiki (one retry for a blip), not the minutes of backoff a
    /// scheduled pass may spend: `run` publishes the rest.
    /// </summary>
    internal static ServiceProvider Services(WikiSyncSettings settings, ServerAdminLogOptions options, bool verbose) =>
        CommonOptions.Services(settings, verbose, s => s
            .AddWikiSyncStore(settings.Store, settings.Data)
            .AddServerAdminLog(options)
            .AddSingleton(sp => ServiceCollectionExtensions.WikiSiteOptionsFor(settings, sp) with { MaxRetries = 1 }));

    internal static async Task<int> RunAsync(
        IServiceProvider provider, string project, string message, string author, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (await CommonOptions.PrepareStoreAsync(provider, cancellationToken) is { } storeProblem)
        {
            await error.WriteLineAsync($"wikisync log: nothing logged: {storeProblem}");
            return 1;
        }

        var result = await provider.GetRequiredService<LogIntake>()
            .SubmitAsync(new LogSubmission(project, message, author, "cli"), cancellationToken);
        if (result.Outcome != LogOutcome.Logged)
        {
            await error.WriteLineAsync(result.Reply);
            // An entry outside the bounds is bad input, like a bad flag: nothing was attempted.
            return result.Outcome == LogOutcome.Invalid ? ExitCodes.BadConfiguration : ExitCodes.Failed;
        }

        await output.WriteLineAsync(result.Reply);
        return await PublishNowAsync(provider, result.Entry!, "wikisync log", output, error, cancellationToken);
    }

    /// <summary>
    /// One quick try to publish the entry's project, then says where the entry stands: 0 published or left
    /// waiting for `wikisync run`, 1 when the wiki refused its text (it is kept as refused, with the reason).
    /// </summary>
    internal static async Task<int> PublishNowAsync(IServiceProvider provider, LogEntry entry, string verb, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(15));
        try
        {
            await provider.GetRequiredService<SalPublisher>().PublishProjectAsync(entry.Project, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Stored all the same: `run` goes on.
        }

        var now = await provider.GetRequiredService<LogEntryStore>().GetAsync(entry.Id, cancellationToken);
        switch (now?.State)
        {
            case SalEntryState.Published:
                await output.WriteLineAsync("published");
                return ExitCodes.Ok;
            case SalEntryState.Refused:
                await error.WriteLineAsync($"{verb}: the wiki refused entry {entry.Id}, so it is not published; it is kept as refused "
                    + $"(`wikisync sal list --refused`; `wikisync sal retry {entry.Id}` once the wiki allows it, or `wikisync sal hide {entry.Id}`): {now.Reason}");
                return ExitCodes.Failed;
            default:
                await output.WriteLineAsync("stored; the wiki did not take it yet, so `wikisync run` will publish it");
                return ExitCodes.Ok;
        }
    }
}
