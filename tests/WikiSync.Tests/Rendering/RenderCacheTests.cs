using System.Diagnostics.Metrics;
using Scriban;
using WikiSync.Model;
using WikiSync.Rendering;
using WikiSync.Testing;

namespace WikiSync.Tests.Rendering;

/// <summary>
/// A section whose template and inputs did not change is not rendered again; any change of what the template
/// reads gives the new text. Counts hits, so it runs alone (the cache is one per process).
/// </summary>
[Collection(RenderCacheCollection.Name)]
public sealed class RenderCacheTests
{
    private const string ReadsEverything =
        "{{ project.name }}|{{ project.instances[0].metadata.k }}|{{ project.members[0].role }}|{{ projects.size }}|{{ entries[0].message }}|" +
        "{{ entries[0].published_revision }}|{{ now }}|{{ page.title }}|{{ parameters.x }}";

    private static readonly Lazy<TemplateSet> Shipped = new(() => TemplateSet.Load(Repository.Templates));

    public static TheoryData<string> ShippedNames => HostileStringTests.TemplateNames;

    [Fact]
    public void The_third_render_of_the_same_inputs_is_the_first_taken_from_the_cache()
    {
        var template = InlineTemplates.Set([("t", "{{ for i in project.instances }}* {{ i.name }}\n{{ end }}{{ # third render }}")]).Get("t");
        using var hits = new HitCounter();

        var texts = Enumerable.Range(0, 3).Select(_ => template.Render(Context())).ToList();

        texts.ShouldAllBe(t => t == "* web-1\n");
        hits.Count.ShouldBe(1);
    }

    [Fact]
    public void What_a_template_does_not_read_does_not_make_it_render_again()
    {
        var template = InlineTemplates.Set([("t", "{{ project.name }}{{ # not read }}")]).Get("t");
        template.Render(Context());
        template.Render(Context());
        using var hits = new HitCounter();

        template.Render(Context() with { Now = DateTimeOffset.UnixEpoch, PageTitle = "Elsewhere", Projects = [] }).ShouldBe("bots");

        hits.Count.ShouldBe(1);
    }

    [Fact]
    public void A_change_in_anything_the_template_reads_gives_the_new_text()
    {
        var template = InlineTemplates.Set([("t", ReadsEverything)]).Get("t");
        var context = Context();
        var project = context.Project!;
        var changes = new (string What, RenderContext Changed)[]
        {
            ("project name", context with { Project = project with { Name = "other" } }),
            ("instance metadata", context with { Project = project with { Instances = [project.Instances[0] with { Metadata = new Dictionary<string, string> { ["k"] = "w" } }] } }),
            ("member role", context with { Project = project with { Members = [new Member("Alice", "member")] } }),
            ("projects", context with { Projects = [project, project] }),
            ("entry message", context with { Entries = [context.Entries[0] with { Message = "rebooted" }] }),
            ("entry published", context with { Entries = [context.Entries[0] with { PublishedRevision = 9 }] }),
            ("now", context with { Now = context.Now.AddMinutes(1) }),
            ("page title", context with { PageTitle = "Nova Resource:Other" }),
            ("parameters", context with { Parameters = new Dictionary<string, string> { ["x"] = "2" } }),
        };
        var original = template.Render(context);
        template.Render(context).ShouldBe(original);
        template.Render(context).ShouldBe(original);

        foreach (var (what, changed) in changes)
        {
            var expected = InlineTemplates.Set([("fresh", ReadsEverything + "{{ '' }}")]).Get("fresh").Render(changed);
            expected.ShouldNotBe(original, what);
            template.Render(changed).ShouldBe(expected, what);
            template.Render(changed).ShouldBe(expected, what);
            template.Render(changed).ShouldBe(expected, what);
        }
    }

    [Fact]
    public void Two_templates_with_the_same_inputs_keep_their_own_texts()
    {
        var set = InlineTemplates.Set([("a", "A {{ project.name }}"), ("b", "B {{ project.name }}")]);
        for (var i = 0; i < 3; i++)
        {
            set.Get("a").Render(Context()).ShouldBe("A bots");
            set.Get("b").Render(Context()).ShouldBe("B bots");
        }
    }

    [Fact]
    public void A_failed_render_is_not_kept()
    {
        var template = InlineTemplates.Set([("t", "{{ project.nope }}")]).Get("t");
        for (var i = 0; i < 3; i++)
            Should.Throw<TemplateException>(() => template.Render(Context()));
    }

    [Fact]
    public void Values_that_differ_never_write_the_same_fingerprint_bytes()
    {
        static byte[] Bytes(object? value)
        {
            var writer = new FingerprintWriter();
            writer.Value(value).ShouldBeTrue();
            return writer.Written.ToArray();
        }

        var distinct = new object?[]
        {
            null, "", new[] { "ab", "c" }, new[] { "a", "bc" }, new[] { "abc" }, Array.Empty<string>(), new object?[] { null },
            1L, 1.0, true, false, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.ToOffset(TimeSpan.FromHours(1)),
            new Member("a", "b"), new Member("a", "b", ""), new Member("ab", ""),
            new Dictionary<string, string> { ["a"] = "b" }, new Dictionary<string, string> { ["ab"] = "" },
        };
        var written = distinct.Select(v => Convert.ToHexString(Bytes(v))).ToList();
        written.ShouldBeUnique();
        Bytes(new Member("a", "b")).ShouldBe(Bytes(new Member("a", "b")));
    }

    [Theory]
    [InlineData("{{ project.name }}", (int)(TemplateReads.Project))]
    [InlineData("{{ for p in projects }}{{ p.name }}{{ end }}", (int)(TemplateReads.Projects))]
    [InlineData("{{ sal.days entries }}{{ now }}", (int)(TemplateReads.Entries | TemplateReads.Now))]
    [InlineData("{{ page.title }} {{ parameters.days ?? 7 }}", (int)(TemplateReads.Page | TemplateReads.Parameters))]
    [InlineData("{{ now | date.to_string '%Y' }} {{ 'a' | string.upcase }} {{ 1.5 | math.floor }}", (int)(TemplateReads.Now))]
    [InlineData("text only", (int)(TemplateReads.None))]
    [InlineData("{{ days = sal.days (sal.recent entries parameters.days now) }}", (int)(TemplateReads.Entries | TemplateReads.Parameters | TemplateReads.Today))]
    [InlineData("{{ sal.recent entries 7 now }}{{ now }}", (int)(TemplateReads.Entries | TemplateReads.Today | TemplateReads.Now))]
    public void A_template_is_fingerprinted_by_the_parts_it_reads(string text, int reads) =>
        TemplateAnalysis.ReadsOf(Template.Parse(text)).ShouldBe((TemplateReads)reads);

    [Theory]
    [InlineData("{{ date.now }}")]
    [InlineData("{{ math.random 1 10 }}")]
    [InlineData("{{ object.eval '1 + 1' }}")]
    [InlineData("{{ object.eval_template '{{ now }}' }}")]
    [InlineData("{{ this.project.name }}")]
    [InlineData("{{ d = date }}{{ d.now }}")]
    [InlineData("{{ include 'x' }}")]
    [InlineData("{{ sal = {} }}{{ sal.recent entries 7 now }}")]
    [InlineData("{{ now = project.name }}{{ sal.recent entries 7 now }}")]
    public void A_template_whose_output_is_not_a_function_of_its_inputs_is_rendered_every_time(string text) =>
        TemplateAnalysis.ReadsOf(Template.Parse(text)).ShouldBeNull();

    [Fact]
    public void The_recent_log_renders_again_on_a_new_day_not_on_a_new_pass()
    {
        var template = InlineTemplates.Set([("t", "{{ for e in (sal.recent entries 1 now) }}{{ e.message }}{{ end }}")]).Get("t");
        var morning = Context() with { Now = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero) };

        template.InputsOf(morning with { Now = morning.Now.AddHours(15) }).ShouldBe(template.InputsOf(morning));
        template.InputsOf(morning with { Now = morning.Now.AddHours(16) }).ShouldNotBe(template.InputsOf(morning));
    }

    [Fact]
    public void Inputs_are_a_hash_of_what_the_template_reads_the_same_for_equal_values()
    {
        // Kept in the store from one run to the next: nothing of this process (object identity, type ids) may enter.
        var template = InlineTemplates.Set([("t", "{{ for i in project.instances }}* {{ i.name }}\n{{ end }}")]).Get("t");
        var copy = Context() with { Project = Context().Project! with { Instances = [.. Context().Project!.Instances] } };

        template.InputsOf(Context())!.Length.ShouldBe(64);
        template.InputsOf(copy).ShouldBe(template.InputsOf(Context()));
        template.InputsOf(Context() with { Now = DateTimeOffset.UnixEpoch, Projects = [] }).ShouldBe(template.InputsOf(Context()));
        template.InputsOf(Context() with { Project = Context().Project! with { Instances = [] } }).ShouldNotBe(template.InputsOf(Context()));
        InlineTemplates.Set([("t", "{{ for i in project.instances }}# {{ i.name }}\n{{ end }}")]).Get("t").InputsOf(Context())
            .ShouldNotBe(template.InputsOf(Context()));
        InlineTemplates.Set([("t", "{{ now }}{{ date.now }}")]).Get("t").InputsOf(Context()).ShouldBeNull();
    }

    [Fact]
    public void A_type_is_fingerprinted_by_its_name()
    {
        var writer = new FingerprintWriter();
        writer.Value(new Member("a", "b")).ShouldBeTrue();
        var id = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(typeof(Member).FullName!)).AsSpan(0, 8).ToArray();

        writer.Written[1..9].ToArray().ShouldBe(id);
    }

    [Theory]
    [MemberData(nameof(ShippedNames))]
    public void Every_shipped_template_can_be_taken_from_the_cache(string name)
    {
        var template = Template.Parse(File.ReadAllText(Path.Combine(Repository.Templates, name + ".sbn")));
        var reads = TemplateAnalysis.ReadsOf(template);

        reads.ShouldNotBeNull(name);
        // A project's section must not depend on every project, or one new project would render them all again.
        if (name is "instances" or "members")
            reads.ShouldBe(TemplateReads.Project, name);
        // The recent log on every project page must not render again every pass because the clock moved.
        if (name == "sal-recent")
            reads!.Value.HasFlag(TemplateReads.Now).ShouldBeFalse();
    }

    /// <summary>Counts the cache's hits from the meter it reports them on (the collection runs alone).</summary>
    private sealed class HitCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public HitCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "WikiSync.Rendering" && instrument.Name == "wikisync.render.cache.hits")
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }

    private static RenderContext Context()
    {
        var created = new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);
        var project = new Project("bots", "Bots", [new Member("Alice", "projectadmin")],
            [new Instance("web-1", "id-1", "ACTIVE", ["10.0.0.1"], "debian-12", "small", created, ["base"], new Dictionary<string, string> { ["k"] = "v" })]);
        return new RenderContext(project, [project], [new LogEntry(1, "bots", "alice", "deployed", "#ops", created)],
            new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero), "Nova Resource:Bots", new Dictionary<string, string> { ["x"] = "1" });
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RenderCacheCollection
{
    public const string Name = "render cache";
}
