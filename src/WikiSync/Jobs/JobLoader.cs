using System.Text.RegularExpressions;
using Scriban;
using WikiSync.Sections;
using YamlDotNet.RepresentationModel;
using WikiSync.Yaml;

namespace WikiSync.Jobs;

/// <summary>
/// Reads every <c>*.yaml</c> in the jobs folder (one job a file) and validates it: known keys,
/// a template that exists, a valid marker name, a page pattern that parses. Each problem names
/// file:line:column; a broken file never stops the others.
/// </summary>
public static partial class JobLoader
{
    [GeneratedRegex("^[a-z0-9-]+$")]
    private static partial Regex NamePattern();

    /// <param name="templateExists">Whether a template of that name (file name without .sbn) exists.</param>
    public static JobCatalog Load(string directory, Func<string, bool> templateExists)
    {
        ArgumentNullException.ThrowIfNull(templateExists);
        if (!Directory.Exists(directory))
            return new JobCatalog([], [new JobFileProblem("(jobs)", directory, $"{directory}: the jobs folder does not exist")]);

        var jobs = new List<JobDefinition>();
        var problems = new List<JobFileProblem>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            try
            {
                var job = Read(YamlFile.Load(file), templateExists);
                if (jobs.FirstOrDefault(j => j.Name == job.Name) is { } first)
                    problems.Add(new JobFileProblem(job.Name, file, $"{file}:1:1: job \"{job.Name}\" is already defined in {first.File}"));
                else
                    jobs.Add(job);
            }
            catch (YamlFileException e)
            {
                problems.Add(new JobFileProblem(Path.GetFileNameWithoutExtension(file), file, e.Message));
            }
        }
        return new JobCatalog(jobs, problems);
    }

    /// <summary>Parses one job file's text; <paramref name="path"/> names it in errors.</summary>
    public static JobDefinition Parse(string path, string text, Func<string, bool> templateExists) =>
        Read(YamlFile.Parse(path, text), templateExists);

    private static JobDefinition Read(YamlFile file, Func<string, bool> templateExists)
    {
        if (file.Root is null)
            throw new YamlFileException($"{file.Path}:1:1: the job file is empty");
        var mapping = file.Mapping(file.Root, "a job");
        var keys = file.Keys(mapping, "a job", "!name", "schedule", "source", "!template", "!page", "!section",
            "create_pages", "skeleton", "placement", "for_each", "parameters", "human_edits", "refresh_on");

        var name = file.Scalar(keys["name"], "the job's name");
        if (!NamePattern().IsMatch(name))
            throw file.Error(keys["name"], $"job name \"{name}\" must be lower-case letters, digits and '-'");

        var template = file.Scalar(keys["template"], "template");
        if (!templateExists(template))
            throw file.Error(keys["template"], $"template \"{template}\" does not exist (expected {template}.sbn in the templates folder)");

        var section = file.Scalar(keys["section"], "section");
        if (!NamePattern().IsMatch(section))
            throw file.Error(keys["section"], $"section name \"{section}\" must be lower-case letters, digits and '-' (it becomes the marker name)");

        var page = file.Scalar(keys["page"], "page");
        CheckPattern(file, keys["page"], page);

        var createPages = keys.TryGetValue("create_pages", out var c) && file.Boolean(c, "create_pages");
        var skeleton = keys.TryGetValue("skeleton", out var s) ? file.Scalar(s, "skeleton") : JobDefinition.DefaultSkeleton;
        if (createPages && !templateExists(skeleton))
            throw file.Error(s ?? keys["name"], $"skeleton template \"{skeleton}\" does not exist (needed because create_pages is true)");

        return new JobDefinition(
            name,
            file.Path,
            keys.TryGetValue("schedule", out var sched) ? ReadSchedule(file, sched) : null,
            keys.TryGetValue("source", out var src) ? ReadSource(file, src) : JobSource.Inventory,
            template,
            page,
            section,
            createPages,
            skeleton,
            keys.TryGetValue("placement", out var p) ? ReadPlacement(file, p) : Placement.End,
            keys.TryGetValue("for_each", out var f) ? ReadForEach(file, f) : ForEach.Project,
            keys.TryGetValue("parameters", out var pars) ? ReadParameters(file, pars) : new Dictionary<string, string>(),
            keys.TryGetValue("human_edits", out var h) ? ReadHumanEdits(file, h) : HumanEditPolicy.Replace)
        {
            RefreshOn = keys.TryGetValue("refresh_on", out var r) ? ReadRefreshOn(file, r) : [],
        };
    }

    private static List<string> ReadRefreshOn(YamlFile file, YamlNode node)
    {
        if (node is YamlScalarNode { Value: null or "" })
            return [];
        var list = file.Sequence(node, "refresh_on");
        var result = new List<string>();
        foreach (var item in list.Children)
        {
            var value = file.Scalar(item, "a refresh_on entry");
            if (!RefreshTrigger.All.Contains(value))
                throw file.Error(item, $"refresh_on \"{value}\" is unknown (expected {string.Join(" or ", RefreshTrigger.All)})");
            if (!result.Contains(value))
                result.Add(value);
        }
        return result;
    }

    private static HumanEditPolicy ReadHumanEdits(YamlFile file, YamlNode node) => file.Scalar(node, "human_edits") switch
    {
        "replace" => HumanEditPolicy.Replace,
        "keep" => HumanEditPolicy.Keep,
        var other => throw file.Error(node, $"human_edits \"{other}\" is unknown (expected replace or keep)"),
    };

    private static void CheckPattern(YamlFile file, YamlNode node, string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
            throw file.Error(node, "page must not be empty");
        var parsed = Template.Parse(pattern);
        if (parsed.HasErrors)
        {
            var message = parsed.Messages.First();
            throw file.Error(node, $"page pattern does not parse: {message.Message} (at column {message.Span.Start.Column + 1} of the pattern)");
        }
    }

    private static JobSchedule? ReadSchedule(YamlFile file, YamlNode node)
    {
        if (node is YamlScalarNode { Value: null or "" or "on-demand" or "on_demand" })
            return null;
        var keys = file.Keys(file.Mapping(node, "schedule"), "schedule", "every", "cron");
        string? Value(string key) => keys.TryGetValue(key, out var n) ? file.Scalar(n, $"schedule.{key}") : null;
        var where = file.At(keys.Values.FirstOrDefault() ?? node);
        try
        {
            return JobSchedule.Parse(Value("every"), Value("cron"), where);
        }
        catch (JobScheduleException e)
        {
            throw new YamlFileException(e.Message, e);
        }
    }

    private static JobSource ReadSource(YamlFile file, YamlNode node) => file.Scalar(node, "source") switch
    {
        "inventory" => JobSource.Inventory,
        "sal" => JobSource.Sal,
        var other => throw file.Error(node, $"source \"{other}\" is unknown (expected inventory or sal)"),
    };

    private static ForEach ReadForEach(YamlFile file, YamlNode node) => file.Scalar(node, "for_each") switch
    {
        "project" => ForEach.Project,
        "none" => ForEach.None,
        "sal-month" => ForEach.SalMonth,
        var other => throw file.Error(node, $"for_each \"{other}\" is unknown (expected project, none or sal-month)"),
    };

    private static Placement ReadPlacement(YamlFile file, YamlNode node)
    {
        if (node is YamlScalarNode)
        {
            return file.Scalar(node, "placement") switch
            {
                "end" => Placement.End,
                "start" => new Placement(PlacementKind.Start),
                var other => throw file.Error(node, $"placement \"{other}\" is unknown (expected end, start, after: NAME, before: NAME or under: Heading)"),
            };
        }
        var keys = file.Keys(file.Mapping(node, "placement"), "placement", "after", "before", "under");
        if (keys.Count != 1)
            throw file.Error(node, "placement needs exactly one of after, before or under");
        var (key, value) = keys.Single();
        var target = file.Scalar(value, $"placement.{key}");
        if (key != "under" && !NamePattern().IsMatch(target))
            throw file.Error(value, $"placement.{key} must name a section (lower-case letters, digits and '-'), found \"{target}\"");
        if (string.IsNullOrWhiteSpace(target))
            throw file.Error(value, $"placement.{key} must not be empty");
        return key switch
        {
            "after" => new Placement(PlacementKind.AfterSection, target),
            "before" => new Placement(PlacementKind.BeforeSection, target),
            _ => new Placement(PlacementKind.UnderHeading, target.Trim()),
        };
    }

    private static Dictionary<string, string> ReadParameters(YamlFile file, YamlNode node)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is YamlScalarNode { Value: null or "" })
            return result;
        foreach (var (k, v) in file.Mapping(node, "parameters").Children)
        {
            var key = file.Scalar(k, "a parameter name");
            if (!result.TryAdd(key, file.Scalar(v, $"parameter \"{key}\"")))
                throw file.Error(k, $"duplicate parameter \"{key}\"");
        }
        return result;
    }
}
