using WikiSync.Configuration;
using WikiSync.Jobs;
using WikiSync.Sections;
using WikiSync.Tests.Support;
using WikiSync.Yaml;

namespace WikiSync.Tests.Jobs;

public sealed class JobLoaderTests
{
    private static readonly Func<string, bool> AnyTemplate = _ => true;

    [Fact]
    public void Shipped_jobs_all_load()
    {
        var catalog = JobLoader.Load(RepositoryPaths.Find("jobs", Directory.GetCurrentDirectory()), AnyTemplate);

        catalog.Problems.ShouldBeEmpty();
        catalog.Jobs.Select(j => j.Name).Order().ShouldBe(["instances", "members", "project-index", "sal", "sal-archive", "sal-recent"]);
        catalog.Find("instances")!.Schedule!.Interval.ShouldBe(TimeSpan.FromMinutes(1));
        catalog.Find("project-index")!.Schedule!.Interval.ShouldBe(TimeSpan.FromMinutes(10));
        catalog.Find("project-index")!.ForEach.ShouldBe(ForEach.None);
        catalog.Find("members")!.Placement.ShouldBe(new Placement(PlacementKind.AfterSection, "instances"));
        catalog.Find("sal-archive")!.ForEach.ShouldBe(ForEach.SalMonth);
        catalog.Find("sal-recent")!.Parameters["days"].ShouldBe("7");
        catalog.Find("instances")!.RefreshOn.ShouldBe([RefreshTrigger.Instances, RefreshTrigger.Projects]);
        catalog.Find("members")!.RefreshOn.ShouldBe([RefreshTrigger.Projects]);
        catalog.Find("project-index")!.RefreshOn.ShouldBe([RefreshTrigger.Projects]);
        catalog.Find("sal")!.RefreshOn.ShouldBeEmpty();
    }

    [Fact]
    public void Refresh_on_lists_the_pushed_changes_that_run_a_job_and_an_unknown_one_names_its_line()
    {
        JobLoader.Parse("j.yaml", "name: j\ntemplate: t\npage: P\nsection: s\nrefresh_on: [instances]\n", AnyTemplate).RefreshOn.ShouldBe(["instances"]);
        JobLoader.Parse("j.yaml", "name: j\ntemplate: t\npage: P\nsection: s\n", AnyTemplate).RefreshOn.ShouldBeEmpty();

        Should.Throw<YamlFileException>(() => JobLoader.Parse("j.yaml", "name: j\ntemplate: t\npage: P\nsection: s\nrefresh_on: [instances, servers]\n", AnyTemplate))
            .Message.ShouldBe("j.yaml:5:25: refresh_on \"servers\" is unknown (expected instances or projects)");
        Should.Throw<YamlFileException>(() => JobLoader.Parse("j.yaml", "name: j\ntemplate: t\npage: P\nsection: s\nrefresh_on: instances\n", AnyTemplate))
            .Message.ShouldStartWith("j.yaml:5:13: refresh_on must be a list");
    }

    [Fact]
    public void Reads_every_key()
    {
        var job = JobLoader.Parse("x.yaml", """
            name: puppet
            schedule: { cron: "0 * * * * ?" }
            source: sal
            template: puppet-classes
            page: "Nova Resource:{{ project.name }}/Puppet"
            section: puppet
            create_pages: yes
            skeleton: my-skeleton
            placement: { under: Puppet classes }
            for_each: project
            parameters: { title: Classes }
            human_edits: keep
            """, AnyTemplate);

        job.ShouldBe(job with
        {
            Name = "puppet",
            
            Source = JobSource.Sal,
            CreatePages = true,
            Skeleton = "my-skeleton",
            Placement = new Placement(PlacementKind.UnderHeading, "Puppet classes"),
            HumanEdits = HumanEditPolicy.Keep,
        });
        job.Parameters["title"].ShouldBe("Classes");
        job.Schedule!.Cron.ShouldBe("0 * * * * ?");
    }

    [Theory]
    [InlineData("colour: red\n", 6, "unknown key \"colour\"")]
    [InlineData("schedule: { every: soon }\n", 6, "not an interval")]
    [InlineData("schedule: { cron: \"every day\" }\n", 6, "not a Quartz cron")]
    [InlineData("placement: middle\n", 6, "placement \"middle\" is unknown")]
    [InlineData("for_each: planet\n", 6, "for_each \"planet\"")]
    [InlineData("source: oracle\n", 6, "source \"oracle\"")]
    [InlineData("human_edits: ignore\n", 6, "human_edits \"ignore\" is unknown (expected replace or keep)")]
    public void Bad_key_names_file_line_and_column(string extra, int line, string reason)
    {
        var text = "name: j\ntemplate: t\npage: P\nsection: s\ncreate_pages: false\n" + extra;

        var e = Should.Throw<YamlFileException>(() => JobLoader.Parse("jobs/j.yaml", text, AnyTemplate));

        e.Message.ShouldStartWith($"jobs/j.yaml:{line}:");
        e.Message.ShouldContain(reason);
    }

    [Fact]
    public void Human_edits_are_replaced_unless_the_job_says_keep()
    {
        var job = JobLoader.Parse("jobs/j.yaml", "name: j\ntemplate: t\npage: P\nsection: s\n", AnyTemplate);

        job.HumanEdits.ShouldBe(HumanEditPolicy.Replace);
    }

    [Fact]
    public void Missing_template_is_named()
    {
        var e = Should.Throw<YamlFileException>(() =>
            JobLoader.Parse("j.yaml", "name: j\ntemplate: nope\npage: P\nsection: s\n", t => t != "nope"));

        e.Message.ShouldBe("j.yaml:2:11: template \"nope\" does not exist (expected nope.sbn in the templates folder)");
    }

    [Fact]
    public void Bad_section_name_and_page_pattern_are_named()
    {
        Should.Throw<YamlFileException>(() => JobLoader.Parse("j.yaml", "name: j\ntemplate: t\npage: P\nsection: Big Section\n", AnyTemplate))
            .Message.ShouldStartWith("j.yaml:4:10: section name");
        Should.Throw<YamlFileException>(() => JobLoader.Parse("j.yaml", "name: j\ntemplate: t\npage: \"{{ for x in y }}\"\nsection: s\n", AnyTemplate))
            .Message.ShouldStartWith("j.yaml:3:7: page pattern does not parse");
    }

    [Fact]
    public void Broken_job_is_reported_and_the_others_load()
    {
        using var dir = new TempFolder();
        dir.Write("good.yaml", "name: good\ntemplate: t\npage: P\nsection: s\n");
        dir.Write("bad.yaml", "name: bad\ntemplate: t\npage: P\n");
        dir.Write("notes.txt", "not a job");

        var catalog = JobLoader.Load(dir.Path, AnyTemplate);

        catalog.Jobs.ShouldHaveSingleItem().Name.ShouldBe("good");
        var problem = catalog.Problems.ShouldHaveSingleItem();
        problem.Job.ShouldBe("bad");
        problem.Message.ShouldContain("bad.yaml:1:1: a job is missing the required key \"section\"");
    }
}
