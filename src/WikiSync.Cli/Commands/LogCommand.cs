using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using WikiSync.AdminLog;
using WikiSync.Storage;

namespace WikiSync.Cli.Commands;

/// <summary>
/// <c>wikisync log PROJECT MESSAGE [--author NAME]</c>: records a Server Admin Log entry through the same
/// intake as IRC, then publishes it if the wiki answers (otherwise it waits for <c>wikisync run</c>).
/// Exit 0 when stored, 1 when refused (unknown project, empty message) or the store fails.
/// </summary>
internal static class LogCommand
{
    /// <param name="services">Builds the composed services (store, inventory, sync runner, SAL) from the parse result.</param>
    public static Command Create(Func<ParseResult, CancellationToken, Task<IServiceProvider>> services)
    {
        var project = new Argument<string>("PROJECT") { Description = "The project the entry is about." };
        var message = new Argument<string[]>("MESSAGE") { Description = "The message; several words are joined by spaces.", Arity = ArgumentArity.ZeroOrMore };
        var author = new Option<string?>("--author") { Description = "Who did it (default: the login name)." };
        var command = new Command("log", "Record a Server Admin Log entry and publish it.") { project, message, author };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var provider = await services(parse, cancellationToken);
            return await RunAsync(
                provider,
                parse.GetValue(project) ?? "",
                string.Join(' ', parse.GetValue(message) ?? []),
                parse.GetValue(author) ?? Environment.UserName,
                Console.Out,
                Console.Error,
                cancellationToken);
        });
        return command;
    }

    internal static async Task<int> RunAsync(
        IServiceProvider provider, string project, string message, string author, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            await new Migrator(provider.GetRequiredService<IStore>()).EnsureCurrentAsync(cancellationToken);
        }
        catch (SchemaOutOfDateException e)
        {
            await error.WriteLineAsync($"wikisync log: {e.Message}");
            return 1;
        }

        var result = await provider.GetRequiredService<LogIntake>()
            .SubmitAsync(new LogSubmission(project, message, author, "cli"), cancellationToken);
        if (result.Outcome != LogOutcome.Logged)
        {
            await error.WriteLineAsync(result.Reply);
            return 1;
        }

        await output.WriteLineAsync(result.Reply);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        bool published;
        try
        {
            published = await provider.GetRequiredService<SalPublisher>().PublishProjectAsync(result.Entry!.Project, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            published = false;
        }

        await output.WriteLineAsync(published
            ? "published"
            : "stored; the wiki did not take it yet, so `wikisync run` will publish it");
        return 0;
    }
}
