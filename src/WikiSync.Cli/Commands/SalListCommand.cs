using System.CommandLine;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using WikiSync.AdminLog;

namespace WikiSync.Cli.Commands;

/// <summary>
/// <c>wikisync sal list [PROJECT] [--refused] [--hidden] [--limit N]</c>: the newest stored entries with
/// their state (waiting, published, refused, hidden) and, for a refused or hidden one, the reason. Exit 0,
/// 2 for bad usage or a store that cannot be used.
/// </summary>
internal static class SalListCommand
{
    public const int DefaultLimit = 20;

    private const int ExcerptLength = 72;

    public static Command Create()
    {
        var project = new Argument<string?>("PROJECT") { Description = "Only this project's entries.", Arity = ArgumentArity.ZeroOrOne };
        var refused = new Option<bool>("--refused") { Description = "Only entries the wiki refused (with its reason)." };
        var hidden = new Option<bool>("--hidden") { Description = "Only entries an operator hid." };
        var limit = new Option<int>("--limit") { Description = $"How many of the newest entries (default {DefaultLimit}).", DefaultValueFactory = _ => DefaultLimit };
        var config = CommonOptions.Config();
        var verbose = CommonOptions.Verbose();
        var command = new Command("list", "List the newest Server Admin Log entries with their state; --refused or --hidden for those kept off the wiki.")
        {
            project, refused, hidden, limit, config, verbose,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var take = parse.GetValue(limit);
            if (take < 1)
            {
                await Console.Error.WriteLineAsync($"wikisync sal list: --limit must be at least 1, not {take.ToString(CultureInfo.InvariantCulture)}");
                return ExitCodes.BadConfiguration;
            }

            var (opened, exitCode) = await CommonOptions.OpenAsync(parse, config, verbose, "wikisync", cancellationToken);
            if (opened is null)
                return exitCode;
            await using var services = opened;

            var states = new List<SalEntryState>();
            if (parse.GetValue(refused))
                states.Add(SalEntryState.Refused);
            if (parse.GetValue(hidden))
                states.Add(SalEntryState.Hidden);
            var entries = await services.GetRequiredService<LogEntryStore>().ListStatedAsync(parse.GetValue(project)?.Trim(), states, take, cancellationToken);
            await Console.Out.WriteAsync(Table(entries));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>One line per entry under a heading; the last column is the reason of a refused or hidden entry, else the message, cut to fit.</summary>
    internal static string Table(IReadOnlyList<StoredLogEntry> entries)
    {
        if (entries.Count == 0)
            return "No entries.\n";
        var rows = entries.Select(e => new[]
        {
            e.Entry.Id.ToString(CultureInfo.InvariantCulture),
            e.Entry.ReceivedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            e.Entry.Project,
            e.Entry.Author,
            e.State.ToString().ToLowerInvariant(),
            Excerpt(e.State is SalEntryState.Refused or SalEntryState.Hidden && e.Reason is { } reason ? $"{reason} — {e.Entry.Message}" : e.Entry.Message),
        }).Prepend(["ID", "TIME (UTC)", "PROJECT", "AUTHOR", "STATE", "REASON / MESSAGE"]).ToList();
        var widths = Enumerable.Range(0, 5).Select(i => rows.Max(r => r[i].Length)).ToList();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            for (var i = 0; i < 5; i++)
                text.Append(row[i].PadRight(widths[i])).Append("  ");
            text.Append(row[5]).Append('\n');
        }

        return text.ToString();
    }

    private static string Excerpt(string text)
    {
        var clean = string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c));
        return clean.Length <= ExcerptLength ? clean : clean[..(ExcerptLength - 1)] + "…";
    }
}
