using WikiSync.Model;
using WikiSync.Rendering;
using WikiSync.Testing;

namespace WikiSync.Tests.Rendering;

public sealed class TemplateSetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wikisync-templates-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static readonly Project Bots = new("bots", "Infrastructure for <b>wiki</b> bots",
        [new Member("Alice", "projectadmin"), new Member("Bob", "member")],
        [new Instance("bots-web-1", "6c1f", "ACTIVE", ["172.16.0.11"], "debian-12", "g3.cores2.ram4",
            new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero), ["base"], new Dictionary<string, string>())]);

    internal static RenderContext Context(Project? project = null, IReadOnlyList<LogEntry>? entries = null, Dictionary<string, string>? parameters = null) =>
        new(project ?? Bots, [project ?? Bots], entries ?? [], new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero),
            "Nova Resource:bots", parameters ?? []);

    private static string Render(string template, RenderContext? context = null) =>
        InlineTemplates.Set([("t", template)]).Get("t").Render(context ?? Context());

    [Fact]
    public void Load_parses_every_sbn_and_reports_syntax_errors_with_file_line_and_column()
    {
        File.WriteAllText(Path.Combine(_dir, "good.sbn"), "{{ project.name }}");
        File.WriteAllText(Path.Combine(_dir, "bad.sbn"), "line one\n  {{ for }}\n");
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "{{ not a template");

        var set = TemplateSet.Load(_dir);

        set.Templates.Select(t => t.Name).ShouldBe(["good"]);
        set.Find("good").ShouldNotBeNull().Path.ShouldBe(Path.Combine(_dir, "good.sbn"));
        set.Find("bad").ShouldBeNull();
        var problem = set.ProblemsOf("bad").ShouldHaveSingleItem();
        problem.ToString().ShouldStartWith($"{Path.Combine(_dir, "bad.sbn")}:2:10: ");
        set.Problems.ShouldBe([problem]);
        Should.Throw<TemplateException>(() => set.Get("bad")).Problem.ShouldBe(problem);
        Should.Throw<TemplateException>(() => set.Get("missing")).Message.ShouldContain("template 'missing' not found");
    }

    [Fact]
    public void Load_of_a_missing_folder_names_it()
    {
        Should.Throw<DirectoryNotFoundException>(() => TemplateSet.Load(Path.Combine(_dir, "nope"))).Message.ShouldContain("nope");
    }

    [Fact]
    public void Render_escapes_values_but_not_literal_template_text()
    {
        Render("'''{{ project.description }}''' [[Link]]").ShouldBe("'''Infrastructure for &lt;b&gt;wiki&lt;&#47;b&gt; bots''' [[Link]]".Replace("&#47;", "/", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_reports_a_misspelt_member_with_file_line_and_column()
    {
        var e = Should.Throw<TemplateException>(() => Render("ok\n  {{ project.nmae }}"));
        e.Problem.File.ShouldBe("t.sbn");
        e.Problem.Line.ShouldBe(2);
        e.Problem.Column.ShouldBeGreaterThan(1);
        e.Message.ShouldStartWith("t.sbn:2:");
        e.Message.ShouldContain("nmae");
    }

    [Fact]
    public void Render_reports_an_unknown_variable()
    {
        Should.Throw<TemplateException>(() => Render("{{ projct.name }}")).Message.ShouldContain("projct");
    }

    [Fact]
    public void Render_exposes_the_context_in_snake_case()
    {
        var entry = new LogEntry(42, "bots", "alice", "restarted", "#ops", new DateTimeOffset(2026, 11, 24, 9, 5, 0, TimeSpan.Zero));
        Render("{{ project.name }} {{ projects.size }} {{ project.instances[0].created }} {{ project.instances[0].ip }} " +
               "{{ entries[0].received_utc }} {{ entries[0].anchor }} {{ now }} {{ page.title }} {{ parameters.days ?? 7 }}",
                Context(entries: [entry]))
            .ShouldBe("bots 1 2026-11-01 10:00 172.16.0.11 2026-11-24 09:05 sal-42 2026-11-25 12:00 Nova Resource&#58;bots 7");
    }

    [Fact]
    public void Render_loops_over_more_than_a_thousand_items()
    {
        var entries = Enumerable.Range(1, 3000).Select(i => new LogEntry(i, "bots", "a", "m", "#c", DateTimeOffset.UnixEpoch)).ToList();
        Render("{{ for e in entries }}.{{ end }}", Context(entries: entries)).Length.ShouldBe(3000);
    }

    [Fact]
    public void Raw_output_needs_the_helper_by_name()
    {
        Render("{{ '<b>x</b>' }} {{ wiki.raw '<b>x</b>' }} {{ '<b>' | wiki.raw }}").ShouldBe("&lt;b&gt;x&lt;/b&gt; <b>x</b> <b>");
    }

    [Theory]
    [InlineData("{{ wiki.link 'Main Page' }}", "[[:Main Page|Main Page]]")]
    [InlineData("{{ wiki.link 'Category:X' 'see [[x]]' }}", "[[:Category:X|see &#91;&#91;x&#93;&#93;]]")]
    [InlineData("{{ wiki.link 'Bad]]title' }}", "Bad&#93;&#93;title")]
    [InlineData("{{ wiki.link 'A__NOTOC__' }}", "[[:A  NOTOC  |A&#95;&#95;NOTOC&#95;&#95;]]")]
    [InlineData("{{ wiki.user 'Alice' }}", "[[User:Alice|Alice]]")]
    [InlineData("{{ wiki.user 'Evil|x]]' }}", "Evil&#124;x&#93;&#93;")]
    [InlineData("{{ wiki.user 'Category:X' }}", "Category&#58;X")]
    [InlineData("{{ wiki.extlink 'https://example.org/a?b=1&c=2' 'docs' }}", "[https://example.org/a?b=1&amp;c=2 docs]")]
    [InlineData("{{ wiki.extlink 'https://example.org/x y' 'label' }}", "[https://example.org/x%20y label]")]
    [InlineData("{{ wiki.extlink 'javascript:alert(1)' 'x' }}", "x")]
    [InlineData("{{ wiki.extlink 'ftp://example.org' }}", "ftp&#58;//example.org")]
    [InlineData("{{ wiki.cell ['a|b', '!c'] }}", "a&#124;b, &#33;c")]
    [InlineData("{{ wiki.cell '-x' }}", "&#45;x")]
    [InlineData("{{ wiki.date '2026-11-01T23:30:00-02:00' }} {{ wiki.time '2026-11-01T23:30:00-02:00' }}", "2026-11-02 01:30")]
    [InlineData("{{ wiki.date now 'dd MMM yyyy' }}", "25 Nov 2026")]
    [InlineData("{{ wiki.anchor 'sal-5' }}", "<span id=\"sal-5\"></span>")]
    [InlineData("{{ wiki.count project.members }}", "2")]
    public void Helpers_build_safe_markup(string template, string expected) => Render(template).ShouldBe(expected);

    [Fact]
    public void Anchor_refuses_an_id_that_is_not_plain()
    {
        Should.Throw<TemplateException>(() => Render("{{ wiki.anchor 'a\" onmouseover=\"x' }}")).Message.ShouldContain("t.sbn:1:");
    }

    [Theory]
    [InlineData("restarted apache", "restarted apache")]
    [InlineData("see https://example.org/x.", "see [https://example.org/x https&#58;//example.org/x].")]
    [InlineData("(https://example.org/a_(b)) done", "([https://example.org/a_(b)) https&#58;//example.org/a_(b))] done")]
    [InlineData("(see https://example.org/a) ok", "(see [https://example.org/a https&#58;//example.org/a]) ok")]
    [InlineData("fixed T123, not XT5 or T12a", "fixed [https://phabricator.wikimedia.org/T123 T123], not XT5 or T12a")]
    [InlineData("<!-- wikisync:end sal --> [[Category:X]] {{x}} ~~~~", "&lt;&#33;-- wikisync&#58;end sal --&gt; &#91;&#91;Category&#58;X&#93;&#93; &#123;&#123;x&#125;&#125; &#126;&#126;&#126;&#126;")]
    [InlineData("*two\nlines", "&#42;two lines")]
    public void Sal_message_is_literal_except_urls_and_task_ids(string message, string expected)
    {
        var parameters = new Dictionary<string, string> { ["task_pattern"] = @"T\d+", ["task_url"] = "https://phabricator.wikimedia.org/{id}" };
        var entry = new LogEntry(1, "bots", "alice", message, "#ops", DateTimeOffset.UnixEpoch);
        Render("{{ sal.message entries[0].message parameters }}", Context(entries: [entry], parameters: parameters)).ShouldBe(expected);
    }

    [Fact]
    public void Sal_message_without_task_settings_links_no_task()
    {
        var entry = new LogEntry(1, "bots", "alice", "T123", "#ops", DateTimeOffset.UnixEpoch);
        Render("{{ sal.message entries[0].message parameters }}", Context(entries: [entry])).ShouldBe("T123");
    }

    [Fact]
    public void RenderTitle_renders_without_escaping_and_rejects_invalid_titles()
    {
        var set = InlineTemplates.Set([]);
        set.RenderTitle("Nova Resource:{{ project.name }}/SAL", Context()).ShouldBe("Nova Resource:bots/SAL");
        set.RenderTitle("  O'Neil's {{ project.name }} ", Context()).ShouldBe("O'Neil's bots");
        set.RenderTitle("Nova Resource:{{project.name}}", Context()).ShouldBe("Nova Resource:bots");
        set.RenderTitle("Nova Resource:{{ project.name | string.upcase }}", Context()).ShouldBe("Nova Resource:BOTS");

        var hostile = Context(new Project("x]]|{{y}}", "", [], []));
        Should.Throw<TemplateException>(() => set.RenderTitle("Nova Resource:{{ project.name }}", hostile, "jobs/instances.yaml"))
            .Message.ShouldBe("jobs/instances.yaml:1:1: page title pattern 'Nova Resource:{{ project.name }}' gives an invalid title: the title 'Nova Resource:x]]|{{y}}' contains ']', which page titles cannot hold");
        Should.Throw<TemplateException>(() => set.RenderTitle("A{{ '\n' }}B", Context())).Message.ShouldContain("line break");
        Should.Throw<TemplateException>(() => set.RenderTitle("{{ project.nam }}", Context(), "jobs/x.yaml")).Message.ShouldStartWith("jobs/x.yaml:1:");
        Should.Throw<TemplateException>(() => set.RenderTitle("{{ if }}", Context(), "jobs/x.yaml")).Message.ShouldStartWith("jobs/x.yaml:1:");
    }
}
