using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using WikiSync.Configuration;
using WikiSync.Jobs;
using WikiSync.Sync;

namespace WikiSync.Cli.Commands;

/// <summary><c>wikisync render --job NAME --project NAME</c>: prints a section's wikitext, touching no wiki.</summary>
internal static class RenderCommand
{
    public static Command Create()
    {
        var job = new Option<string>("--job") { Description = "The job whose section to render.", Required = true };
        var project = new Option<string?>("--project") { Description = "The project (not needed for a job with for_each: none)." };
        var config = CommonOptions.Config();
        var verbose = CommonOptions.Verbose();
        var command = new Command("render", "Print the wikitext of one job's section for one project.") { job, project, config, verbose };
        command.SetAction(async (parse, ct) =>
        {
            WikiSyncSettings settings;
            try
            {
                settings = CommonOptions.LoadSettings(parse, config);
                if (SyncCommand.SourceProblems(settings).ToList() is { Count: > 0 } sourceProblems)
                    throw new ConfigurationException(sourceProblems);
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
            var name = parse.GetValue(job)!;
            var catalog = services.GetRequiredService<JobCatalog>();
            if (catalog.Find(name) is null)
            {
                var broken = catalog.Problems.FirstOrDefault(p => p.Job == name);
                Console.Error.WriteLine(broken is null
                    ? $"wikisync: no job named \"{name}\" (known: {string.Join(", ", catalog.Jobs.Select(j => j.Name))})"
                    : $"wikisync: {broken.Message}");
                return ExitCodes.BadConfiguration;
            }

            var preview = await services.GetRequiredService<SyncPreview>().RenderAsync(name, parse.GetValue(project), ct);
            foreach (var problem in preview.Problems)
                Console.Error.WriteLine($"wikisync: {problem}");
            foreach (var section in preview.Sections)
            {
                if (preview.Sections.Count > 1)
                    Console.Out.WriteLine($"# {section.Title} / {section.Section}");
                Console.Out.Write(section.Text.EndsWith('\n') ? section.Text : section.Text + "\n");
            }
            return preview.Problems.Count == 0 && preview.Sections.Count > 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }
}
