using WikiSync.Jobs;
using WikiSync.Sync;
using WikiSync.Tests.Support;
using static WikiSync.Tests.Support.Builders;

namespace WikiSync.Tests.Sync;

public sealed class PageCollisionTests
{
    [Theory]
    [InlineData("bots", "Bots")]
    [InlineData("my_project", "my project")]
    [InlineData("caf\u00E9", "cafe\u0301")]
    [InlineData("bots", "bots\u200E")]
    [InlineData("bots", "bo\u200Bts")]
    [InlineData("bots", "bo\u00ADts")]
    public async Task Two_project_names_that_land_on_one_page_are_both_reported_and_neither_is_written(string one, string other)
    {
        var rig = new RunnerRig([Job("instances", "instances")], Project(one, "", "a-1"), Project(other, "", "b-1"));

        var report = await rig.RunAsync();

        var outcome = report.Pages.ShouldHaveSingleItem();
        outcome.Action.ShouldBe(PageAction.Failed);
        outcome.Reason!.ShouldContain($"project {one}");
        outcome.Reason!.ShouldContain($"project {other}");
        rig.Wiki.Edits.ShouldBeEmpty();
        rig.Wiki.EditAttempts.ShouldBe(0);
    }

    [Fact]
    public async Task A_project_named_like_another_jobs_page_is_reported_with_that_job_and_neither_page_is_written()
    {
        var rig = new RunnerRig(
            [Job("instances", "instances"), Job("members", "members", page: "Nova Resource:{{ project.name }}/SAL")],
            Project("Foo", "", "a-1"), Project("Foo/SAL", "", "b-1"));

        var report = await rig.RunAsync();

        var failed = report.Pages.Single(p => p.Title == "Nova Resource:Foo/SAL");
        failed.Action.ShouldBe(PageAction.Failed);
        failed.Reason!.ShouldContain("project Foo/SAL, job instances");
        failed.Reason!.ShouldContain("project Foo, job members");
        rig.Wiki.Edits.ShouldNotContain(e => e.Title == "Nova Resource:Foo/SAL");
        // The pages nobody else wants are still written.
        report.Pages.Single(p => p.Title == "Nova Resource:Foo").Action.ShouldBe(PageAction.Created);
        report.Pages.Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_project_named_like_the_index_page_is_reported_and_the_index_is_not_written()
    {
        var rig = new RunnerRig(
            [Job("instances", "instances"), Job("index", "index", page: "Nova Resource:Projects", forEach: ForEach.None)],
            Project("Projects", "", "a-1"), Project("bots", "", "b-1"));

        var report = await rig.RunAsync();

        var failed = report.Pages.Single(p => p.Title == "Nova Resource:Projects");
        failed.Action.ShouldBe(PageAction.Failed);
        failed.Reason!.ShouldContain("all projects, job index");
        failed.Reason!.ShouldContain("project Projects, job instances");
        rig.Wiki.Edits.Select(e => e.Title).ShouldBe(["Nova Resource:bots"]);
    }

    [Fact]
    public async Task Two_jobs_of_one_project_whose_titles_differ_only_in_spelling_share_one_page_and_one_edit()
    {
        var rig = new RunnerRig(
            [Job("instances", "instances"), Job("members", "members", page: "Nova_Resource:{{ project.name }}")],
            Project("bots", "", "a-1"));

        var report = await rig.RunAsync();

        report.Pages.ShouldHaveSingleItem().Action.ShouldBe(PageAction.Created);
        rig.Wiki.Edits.ShouldHaveSingleItem().Title.ShouldBe("Nova Resource:bots");
    }
}
