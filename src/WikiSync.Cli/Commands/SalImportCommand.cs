using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WikiSync.AdminLog;
using WikiSync.AdminLog.Import;
using WikiSync.Configuration;
using WikiSync.Sources;
using WikiSync.Sync;
using WikiSync.Wiki;

namespace WikiSync.Cli.Commands;

/// <summary>
/// <c>wikisync sal import PROJECT (--from-page TITLE | --from-file F) [--dry-run] [--take-over]</c>: brings an
/// earlier log into the store. Exit 0 when every line was taken, 1 when some did not parse (the rest is
/// stored; each is printed with its page or file and line) or the take-over was refused, 2 for bad usage,
/// an unknown project or an unreadable source.
/// </summary>
internal static class SalImportCommand
{
    /// <summary>How many lines that did not parse a dry run prints.</summary>
    private const int FirstProblems = 20;

    public static Command Create()
    {
        var project = new Argument<string>("PROJECT") { Description = "The project whose log this is." };
        var fromPage = new Option<string?>("--from-page") { Description = "The wiki page of the log; the archive pages it links are read too." };
        var fromFile = new Option<string?>("--from-file") { Description = "JSON lines {\"@timestamp\", \"nick\", \"message\", \"project\"} (an Elasticsearch copy)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print counts and the first lines that did not parse; store nothing." };
        var takeOver = new Option<bool>("--take-over") { Description = "Then replace the hand-kept log on the page by the generated section, in one edit." };
        var config = CommonOptions.Config();
        var verbose = CommonOptions.Verbose();
        var command = new Command("import", "Import an existing Server Admin Log (a wiki page and its archives, or JSON lines).")
        {
            project, fromPage, fromFile, dryRun, takeOver, config, verbose,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var page = parse.GetValue(fromPage);
            var file = parse.GetValue(fromFile);
            if ((page is null) == (file is null))
                return Usage("give exactly one of --from-page TITLE and --from-file F");
            if (parse.GetValue(takeOver) && (page is null || parse.GetValue(dryRun)))
                return Usage("--take-over needs --from-page and cannot go with --dry-run");

            var (opened, exitCode) = await CommonOptions.OpenAsync(parse, config, verbose, "wikisync", cancellationToken);
            if (opened is null)
                return exitCode;
            await using var services = opened;

            return await RunAsync(
                services, parse.GetValue(project) ?? "", page, file, parse.GetValue(dryRun), parse.GetValue(takeOver), Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    internal static async Task<int> RunAsync(
        IServiceProvider services, string projectName, string? page, string? file, bool dryRun, bool takeOver, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var time = services.GetRequiredService<TimeProvider>();
        var catalog = new InventoryProjectCatalog(services.GetRequiredService<IInventorySource>(), time);
        if (await catalog.FindAsync(projectName.Trim(), cancellationToken) is not { } project)
        {
            await error.WriteLineAsync($"wikisync sal import: unknown project \"{projectName}\"");
            return ExitCodes.BadConfiguration;
        }

        var importer = new SalImporter(
            services.GetRequiredService<LogEntryStore>(), services.GetRequiredService<IWikiSite>(), services.GetRequiredService<ISyncRunner>(),
            time, services.GetRequiredService<ILogger<SalImporter>>());
        IReadOnlyList<string> sources;
        List<ImportedEntry> entries;
        List<ImportProblem> problems;
        var others = 0;
        SalPage? mainPage = null;
        if (page is not null)
        {
            IReadOnlyList<SalPage> pages;
            try
            {
                pages = await importer.ReadPagesAsync(page, cancellationToken);
            }
            catch (WikiApiException e)
            {
                await error.WriteLineAsync($"wikisync sal import: {page}: {e.Message}");
                return ExitCodes.BadConfiguration;
            }

            mainPage = pages[0];
            if (!mainPage.Exists)
            {
                await error.WriteLineAsync($"wikisync sal import: the page \"{page}\" does not exist");
                return ExitCodes.BadConfiguration;
            }

            sources = [.. pages.Select(p => p.Title)];
            entries = [.. pages.SelectMany(p => p.Entries)];
            problems = [.. pages.SelectMany(p => p.Problems)];
        }
        else
        {
            SalJsonLinesRead read;
            try
            {
                read = await SalJsonLines.ReadAsync(file!, project.Name, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"wikisync sal import: {file}: {e.Message}");
                return ExitCodes.BadConfiguration;
            }

            sources = [file!];
            entries = [.. read.Entries];
            problems = [.. read.Problems];
            others = read.OtherProjects;
        }

        var report = await importer.ImportAsync(project.Name, sources, entries, problems, others, dryRun, cancellationToken);
        await output.WriteLineAsync($"read {report.Read} entries for {project.Name} from {report.Sources.Count} {(page is null ? "file" : report.Sources.Count == 1 ? "page" : "pages")}: {string.Join(", ", report.Sources)}");
        if (report.OtherProjects > 0)
            await output.WriteLineAsync($"{report.OtherProjects} lines of other projects left out");
        await output.WriteLineAsync(dryRun
            ? $"would add {report.Added}, already stored {report.AlreadyStored}"
            : $"added {report.Added}, already stored {report.AlreadyStored}");
        if (report.Problems.Count > 0)
        {
            var shown = dryRun ? report.Problems.Take(FirstProblems).ToList() : [.. report.Problems];
            await error.WriteLineAsync(shown.Count < report.Problems.Count
                ? $"{report.Problems.Count} lines did not parse; the first {shown.Count}:"
                : $"{report.Problems.Count} lines did not parse:");
            foreach (var problem in shown)
                await error.WriteLineAsync("  " + problem);
        }

        if (dryRun)
            return ExitCodes.Ok;
        if (takeOver && mainPage is not null)
        {
            if (await importer.TakeOverAsync(project.Name, mainPage, cancellationToken) is { } refused)
            {
                await error.WriteLineAsync($"wikisync sal import: not taken over: {refused}");
                return ExitCodes.Failed;
            }

            await output.WriteLineAsync($"took over {mainPage.Title}: the log there is now the generated section");
        }

        return report.Problems.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine($"wikisync sal import: {message}");
        return ExitCodes.BadConfiguration;
    }
}
