using System.Globalization;
using Scriban.Runtime;
using Scriban.Runtime.Accessors;
using WikiSync.Model;
using WikiSync.Rendering;
using WikiSync.Testing;

namespace WikiSync.Tests.Rendering;

/// <summary>
/// The rendering shortcuts (compiled member reads, array.sort on sort keys, digit-by-digit dates, cell
/// joins) must give exactly what Scriban's own code gives.
/// </summary>
public sealed class RenderShortcutTests
{
    [Theory]
    [InlineData("")]
    [InlineData("en-US")]
    [InlineData("da-DK")]
    [InlineData("sv-SE")]
    [InlineData("tr-TR")]
    [InlineData("ja-JP")]
    public void Sort_by_a_string_member_is_the_invariant_culture_order_whatever_the_host_locale(string culture)
    {
        var names = HostileStrings.Load().Concat(["b", "B", "a", "A", "aa", "Aa", "å", "ä", "z", "İ", "i", "I", "ı", "web-10", "web-9", "web_9", "web 9", "Ünïcödé", "", "a"])
            .ToList();
        var members = names.Select((n, i) => new Member(n, i.ToString(CultureInfo.InvariantCulture))).ToList();
        var project = new Project("p", "", members, []);
        var context = new RenderContext(project, [project], [], DateTimeOffset.UnixEpoch, "P", new Dictionary<string, string>());
        var template = InlineTemplates.Set([("t", "{{ project.members | array.sort \"user\" | array.map \"role\" | array.join \",\" }}")]).Get("t");

        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
            var expected = string.Join(",", members.OrderBy(m => m.User, StringComparer.InvariantCulture).Select(m => m.Role));

            template.Render(context).ShouldBe(expected);
            template.Render(context).ShouldBe(expected, "from cached sort keys");
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData("{{ [3, 1, 2] | array.sort | array.join ',' }}", "1,2,3")]
    [InlineData("{{ ['b', 'a'] | array.sort | array.join ',' }}", "a,b")]
    [InlineData("{{ project.instances | array.sort 'created' | array.map 'name' | array.join ',' }}", "old,new")]
    [InlineData("{{ project.instances | array.sort 'name.length' | array.map 'name' | array.join ',' }}", "new,old")]
    [InlineData("{{ null | array.sort 'name' | array.size }}", "0")]
    public void Sort_of_anything_but_string_members_is_Scriban_s_own(string text, string expected)
    {
        var old = new Instance("old", "1", "ACTIVE", [], "", "", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), [], new Dictionary<string, string>());
        var @new = old with { Name = "new", Created = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero) };
        var project = new Project("p", "", [], [@new, old]);
        var context = new RenderContext(project, [project], [], DateTimeOffset.UnixEpoch, "P", new Dictionary<string, string>());

        InlineTemplates.Set([("t", text)]).Get("t").Render(context).ShouldBe(expected);
    }

    [Fact]
    public void Datetime_writes_what_the_general_date_formatter_writes()
    {
        var random = new Random(6);
        var times = new List<DateTimeOffset> { DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new(999, 12, 31, 23, 59, 59, TimeSpan.Zero), new(2026, 3, 29, 1, 30, 0, TimeSpan.FromHours(2)) };
        for (var i = 0; i < 5_000; i++)
        {
            var ticks = random.NextInt64(DateTime.MinValue.AddDays(1).Ticks, DateTime.MaxValue.AddDays(-1).Ticks);
            times.Add(new DateTimeOffset(ticks, TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1))));
        }

        foreach (var t in times)
        {
            var expected = t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            WikiFunctions.Datetime(t).Value.ShouldBe(expected);
            WikiFunctions.FormatDateTime(t).ShouldBe(expected);
            WikiFunctions.Date(t, "yyyy-MM-dd HH:mm").Value.ShouldBe(expected);
        }
    }

    [Fact]
    public void Cell_joins_the_escaped_non_empty_parts_with_commas()
    {
        var strings = HostileStrings.Load().Concat(["", "", "base", "exim::simple-mail-sender"]).ToList();
        var random = new Random(6);
        for (var i = 0; i < 2_000; i++)
        {
            var parts = Enumerable.Range(0, random.Next(0, 6)).Select(_ => strings[random.Next(strings.Count)]).ToList();
            var expected = string.Join(", ", parts.Where(p => p.Length > 0).Select(WikiEscape.Escape));

            WikiFunctions.Cell(parts).Value.ShouldBe(expected);
            WikiFunctions.Cell(parts.ToArray()).Value.ShouldBe(expected);
            WikiFunctions.Cell(parts.Select(p => p)).Value.ShouldBe(expected, "any enumerable");
        }
    }

    [Fact]
    public void Compiled_member_reads_offer_the_members_and_values_Scriban_reads_by_reflection()
    {
        var instance = Hostile("x").Project!.Instances[0];
        var member = new Member("u", "r", "d");
        var entry = new LogEntry(1, "p", "a", "m", "#c", DateTimeOffset.UnixEpoch);
        var context = new Scriban.TemplateContext();
        foreach (var target in new object[] { instance, member, entry, Hostile("x").Project! })
        {
            var scriban = new TypedObjectAccessor(target.GetType(), null, null);
            var compiled = CompiledMemberAccessor.Faster(context, target, scriban)!;

            compiled.ShouldBeOfType<CompiledMemberAccessor>();
            compiled.GetMembers(context, default, target).ShouldBe(scriban.GetMembers(context, default, target));
            foreach (var name in scriban.GetMembers(context, default, target))
            {
                compiled.TryGetValue(context, default, target, name, out var value).ShouldBeTrue(name);
                scriban.TryGetValue(context, default, target, name, out var expected);
                value.ShouldBe(expected, name);
            }

            compiled.TryGetValue(context, default, target, "nope", out _).ShouldBeFalse();
        }
    }

    [Fact]
    public void Other_accessors_are_left_as_Scriban_chose_them()
    {
        var context = new Scriban.TemplateContext();
        CompiledMemberAccessor.Faster(context, new ScriptObject(), ScriptObjectAccessor.Default).ShouldBeSameAs(ScriptObjectAccessor.Default);
        CompiledMemberAccessor.Faster(context, "s", null).ShouldBeNull();
    }

    private static RenderContext Hostile(string s)
    {
        var created = new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.FromHours(1));
        Instance Instance(string name, int day) => new(name, s, s, [s, "10.0.0.1"], s, s, created.AddDays(day), [s, "base", "", s],
            new Dictionary<string, string> { ["k"] = s });
        var project = new Project(s, s, [new Member(s, s, s), new Member("zed", "member", null)],
            [Instance(s, 1), Instance("a-" + s, 2), Instance("b", 3)]);
        var entries = new[]
        {
            new LogEntry(7, s, s, s, s, new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero)),
            new LogEntry(8, s, "nick", "deployed T123 https://example.org/x " + s, "#ops", new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero)),
        };
        return new RenderContext(project, [project, project with { Name = "other" }], entries, new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero),
            "Nova Resource:Test", new Dictionary<string, string>
            {
                ["task_pattern"] = @"T\d+",
                ["task_url"] = "https://phabricator.wikimedia.org/{id}",
                ["archives"] = "2026-09",
            });
    }
}
