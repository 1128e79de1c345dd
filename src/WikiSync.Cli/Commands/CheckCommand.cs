using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using WikiSync.Configuration;
using WikiSync.Jobs;
using WikiSync.Sync;
using WikiSync.Wiki;
using WikiSync.Redaction;

namespace WikiSync.Cli.Commands;

/// <summary>
/// <c>wikisync check</c>: validates configuration, inventory, jobs and templates (every problem as
/// file:line:column) and logs in to the wiki. Exit 2 when a file or setting is bad, else 1 when the wiki
/// cannot be reached or refuses the login, else 0.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var verbose = CommonOptions.Verbose();
        var command = new Command("check", "Validate configuration, inventory, jobs and templates, and log in to the wiki.") { config, verbose };
        command.SetAction(async (parse, ct) =>
        {
            WikiSyncSettings settings;
            var problems = new List<string>();
            try
            {
                settings = CommonOptions.LoadSettings(parse, config);
            }
            catch (ConfigurationException e)
            {
                return CommonOptions.BadConfiguration(e);
            }
            try
            {
                SyncCommand.Validate(settings);
            }
            catch (ConfigurationException e)
            {
                problems.AddRange(e.Problems);
            }

            if (SyncCommand.SourceProblems(settings).Any())
            {
                // The sources cannot even be built; the rest is checked once they are fixed.
                foreach (var problem in problems)
                    Console.Out.WriteLine($"error {problem}");
                return ExitCodes.BadConfiguration;
            }

            await using var services = CommonOptions.Services(settings, parse.GetValue(verbose));
            var templates = services.GetRequiredService<ISectionTemplates>();
            problems.AddRange(templates.Problems.Where(p => !problems.Contains(p)));
            var catalog = services.GetRequiredService<JobCatalog>();
            problems.AddRange(catalog.Problems.Select(p => p.Message).Where(p => !problems.Contains(p)));

            if (await CommonOptions.PrepareStoreAsync(services, ct) is { } storeProblem)
                problems.Add(storeProblem);
            foreach (var problem in problems)
                Console.Out.WriteLine($"error {problem}");
            if (problems.Count > 0)
                return ExitCodes.BadConfiguration;
            Console.Out.WriteLine($"ok configuration, inventory {settings.Inventory}, {catalog.Jobs.Count} jobs in {settings.Jobs}, templates in {settings.Templates}");

            try
            {
                var wiki = services.GetRequiredService<IWikiSite>();
                if (wiki is WikiSite site && !string.IsNullOrEmpty(settings.Wiki.User))
                    await site.LoginAsync(ct);
                var shutoff = settings.EffectiveShutoffPage;
                var pages = await wiki.ReadPagesAsync([shutoff], ct);
                Console.Out.WriteLine($"ok wiki {Redact.Url(settings.Wiki.Api)} as {settings.Wiki.User ?? "(anonymous)"}");
                if (pages.TryGetValue(shutoff, out var stop) && stop.Exists && !string.IsNullOrWhiteSpace(stop.Text))
                    Console.Out.WriteLine($"warning {shutoff} is not empty: no edits will be made (emergency stop)");
                return ExitCodes.Ok;
            }
            catch (WikiApiException e)
            {
                Console.Out.WriteLine($"error wiki {Redact.Url(settings.Wiki.Api)}: {Redact.Text(e.Message)}");
                return ExitCodes.Failed;
            }
            catch (HttpRequestException e)
            {
                Console.Out.WriteLine($"error wiki {Redact.Url(settings.Wiki.Api)}: {Redact.Text(e.Message)}");
                return ExitCodes.Failed;
            }
        });
        return command;
    }
}
