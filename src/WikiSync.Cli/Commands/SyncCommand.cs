using System.CommandLine;
using Spectre.Console;
using Microsoft.Extensions.DependencyInjection;
using WikiSync.Configuration;
using WikiSync.Jobs;
using WikiSync.Sources;
using WikiSync.Sources.Static;
using WikiSync.Sync;
using WikiSync.Redaction;

namespace WikiSync.Cli.Commands;

/// <summary><c>wikisync sync [--job NAME]... [--project NAME]... [--take-back TITLE]... [--dry-run]</c>: one pass over the jobs.</summary>
internal static class SyncCommand
{
    public static Command Create()
    {
        var jobs = new Option<string[]>("--job") { Description = "Only this job (repeatable).", AllowMultipleArgumentsPerToken = false };
        var projects = new Option<string[]>("--project") { Description = "Only this project (repeatable)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print a unified diff per page and write nothing." };
        var takeBack = new Option<string[]>("--take-back")
        {
            Description = "Regenerate this page's sections now, over edits kept by human_edits: keep (repeatable).",
        };
        var config = CommonOptions.Config();
        var verbose = CommonOptions.Verbose();
        var command = new Command("sync", "One pass over the jobs: refresh every generated section.")
        {
            jobs, projects, takeBack, dryRun, config, verbose,
        };
        command.SetAction(async (parse, ct) =>
        {
            WikiSyncSettings settings;
            try
            {
                settings = CommonOptions.LoadSettings(parse, config);
                Validate(settings);
            }
            catch (ConfigurationException e)
            {
                return CommonOptions.BadConfiguration(e);
            }

            await using var services = CommonOptions.Services(settings, parse.GetValue(verbose));
            if (await CommonOptions.PrepareStoreAsync(services, ct) is { } storeProblem)
            {
                Console.Error.WriteLine($"wikisync: {storeProblem}");
                return ExitCodes.BadConfiguration;
            }
            var catalog = services.GetRequiredService<JobCatalog>();
            var request = new SyncRequest(parse.GetValue(jobs) ?? [], parse.GetValue(projects) ?? [], parse.GetValue(dryRun))
            {
                KeepTexts = false,
                Urgent = true,
                TakeBack = parse.GetValue(takeBack) ?? [],
            };
            var runner = services.GetRequiredService<ISyncRunner>();
            SyncReport report;
            if (Console.IsOutputRedirected)
            {
                // Plain lines for scripts and logs: one per page, diffs as they are.
                report = await runner.RunAsync(request with { Progress = new Lines(page => Print(page, request.DryRun, Console.Out)) }, ct);
            }
            else
            {
                report = await AnsiConsole.Progress()
                    .AutoClear(true)
                    .StartAsync(async progress =>
                    {
                        var bar = progress.AddTask("pages", autoStart: true, maxValue: 1);
                        return await runner.RunAsync(request with
                        {
                            Progress = new Lines(page =>
                            {
                                PrintColoured(page.Outcome, request.DryRun);
                                bar.MaxValue = Math.Max(1, page.Total);
                                bar.Value = page.Done;
                            }),
                        }, ct);
                    });
            }

            foreach (var problem in report.BrokenJobs)
                Console.Error.WriteLine($"wikisync: job {problem.Job} skipped: {problem.Reason}");
            if (catalog.Jobs.Count == 0 && catalog.Problems.Count == 0)
                Console.Error.WriteLine($"wikisync: no jobs in {settings.Jobs}");
            return report.AllFine ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static void Print(SyncProgress page, bool dryRun, TextWriter output)
    {
        output.WriteLine(page.Outcome.ToString());
        if (dryRun && !string.IsNullOrEmpty(page.Outcome.Diff))
            output.Write(page.Outcome.Diff.EndsWith('\n') ? page.Outcome.Diff : page.Outcome.Diff + "\n");
    }

    private static void PrintColoured(PageOutcome page, bool dryRun)
    {
        var colour = page.Action switch
        {
            PageAction.Failed => "red",
            PageAction.Created or PageAction.Updated => "green",
            PageAction.Skipped or PageAction.Held => "yellow",
            _ => "grey",
        };
        AnsiConsole.MarkupLine($"[{colour}]{Markup.Escape(page.ToString())}[/]");
        if (!dryRun || string.IsNullOrEmpty(page.Diff))
            return;
        foreach (var line in page.Diff.TrimEnd('\n').Split('\n'))
        {
            var style = line.StartsWith("+++", StringComparison.Ordinal) || line.StartsWith("---", StringComparison.Ordinal) ? "bold"
                : line.StartsWith('+') ? "green" : line.StartsWith('-') ? "red" : line.StartsWith("@@", StringComparison.Ordinal) ? "cyan" : "default";
            AnsiConsole.MarkupLine($"[{style}]{Markup.Escape(line)}[/]");
        }
    }

    /// <summary>Reports synchronously, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class Lines(Action<SyncProgress> report) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => report(value);
    }

    /// <summary>What must hold before a pass is worth starting; anything else is reported per page.</summary>
    internal static void Validate(WikiSyncSettings settings)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(settings.Wiki.Api))
            problems.Add("the wiki API is not set (WIKISYNC_WIKI_API or wiki.api: the URL of api.php)");
        else if (!Uri.TryCreate(settings.Wiki.Api, UriKind.Absolute, out var api) || (api.Scheme != "http" && api.Scheme != "https"))
            problems.Add($"the wiki API \"{Redact.Url(settings.Wiki.Api)}\" is not an http(s) URL (WIKISYNC_WIKI_API)");
        if (!string.IsNullOrEmpty(settings.Wiki.User) && string.IsNullOrEmpty(settings.Wiki.Password))
            problems.Add("a wiki user is set but no password (WIKISYNC_WIKI_PASSWORD)");
        problems.AddRange(SourceProblems(settings));
        if (settings.OpenStack?.Notifications is { } notifications)
            problems.AddRange(notifications.Validate());
        if (!settings.Sources.Uses(SourcesOptions.Static))
        {
            // No static inventory file in use.
        }
        else if (string.IsNullOrWhiteSpace(settings.Inventory))
            problems.Add("no inventory is configured (WIKISYNC_INVENTORY or inventory: in the configuration file)");
        else if (!File.Exists(settings.Inventory))
            problems.Add($"{settings.Inventory}: the inventory file does not exist (WIKISYNC_INVENTORY)");
        else
        {
            try
            {
                // The static inventory is the operator's own file: a mistake in it is bad configuration.
                StaticInventorySource.ReadFile(settings.Inventory, settings.Data);
            }
            catch (SourceException e)
            {
                problems.Add(e.Message);
            }
        }
        if (settings.Jobs is null || !Directory.Exists(settings.Jobs))
            problems.Add($"{settings.Jobs}: the jobs folder does not exist (WIKISYNC_JOBS)");
        if (settings.Templates is null || !Directory.Exists(settings.Templates))
            problems.Add($"{settings.Templates}: the templates folder does not exist (WIKISYNC_TEMPLATES)");
        if (problems.Count > 0)
            throw new ConfigurationException(problems);
    }

    /// <summary>The <c>sources:</c>, <c>ldap:</c> and <c>openstack:</c> sections, checked before anything connects.</summary>
    internal static IEnumerable<string> SourceProblems(WikiSyncSettings settings)
    {
        foreach (var problem in settings.Sources.Validate())
            yield return problem;
        if (settings.Sources.Uses(SourcesOptions.Ldap))
        {
            foreach (var problem in settings.Ldap?.Validate() ?? ["sources: selects ldap but there is no ldap: section (or WIKISYNC_LDAP_URL)"])
                yield return problem;
        }
        if (settings.Sources.UsesCloud)
        {
            foreach (var problem in settings.OpenStack?.Validate(settings.Sources.CloudAspects)
                ?? ["sources: selects openstack or keystone but there is no openstack: section (or WIKISYNC_OPENSTACK_AUTH_URL)"])
                yield return problem;
        }
    }
}
