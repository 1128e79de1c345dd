using WikiSync.Rendering;
using WikiSync.Testing;

namespace WikiSync.Tests.Rendering;

/// <summary>Renders on one thread share a Scriban context; nothing of one render may reach the next.</summary>
public sealed class ContextReuseTests
{
    private static readonly TemplateSet Set = InlineTemplates.Set([
        ("sets", "{{ leftover = 'x' }}{{ project.name }}"),
        ("reads", "{{ leftover }}"),
        ("fails", "before {{ project.nope }}"),
        ("name", "{{ project.name }}|{{ parameters.days ?? 7 }}"),
    ]);

    [Fact]
    public void A_variable_set_by_one_render_is_unknown_to_the_next()
    {
        Set.Get("sets").Render(TemplateSetTests.Context()).ShouldBe("bots");
        Should.Throw<TemplateException>(() => Set.Get("reads").Render(TemplateSetTests.Context()));
    }

    [Fact]
    public void A_failed_render_leaves_nothing_in_the_next_one()
    {
        Should.Throw<TemplateException>(() => Set.Get("fails").Render(TemplateSetTests.Context()));
        Set.Get("name").Render(TemplateSetTests.Context()).ShouldBe("bots|7");
    }

    [Fact]
    public void Each_render_sees_its_own_model()
    {
        Set.Get("name").Render(TemplateSetTests.Context(parameters: new() { ["days"] = "3" })).ShouldBe("bots|3");
        Set.Get("name").Render(TemplateSetTests.Context()).ShouldBe("bots|7");
    }

    [Fact]
    public void Renders_on_many_threads_at_once_give_the_same_text()
    {
        var expected = Set.Get("name").Render(TemplateSetTests.Context());
        var texts = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 2_000, _ => texts.Add(Set.Get("name").Render(TemplateSetTests.Context())));
        texts.ShouldAllBe(t => t == expected);
    }
}
