using WikiSync.Jobs;
using WikiSync.Rendering;
using WikiSync.Sections;

namespace WikiSync.Sync;

/// <summary>Everything one run wants on one page: its rendered sections, in job order.</summary>
internal sealed class PagePlan(string title)
{
    public string Title { get; } = title;

    public List<PlannedSection> Sections { get; } = [];

    /// <summary>Sections that could not be rendered; the page is then left alone and reported failed.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>The first job that may create the page, with the context its skeleton is rendered in.</summary>
    public (JobDefinition Job, RenderContext Context)? Creator { get; set; }

    public IReadOnlyList<string> SectionNames => Sections.Select(s => s.Name).ToList();
}

internal sealed record PlannedSection(string Job, string Name, string Text, Placement Placement);

/// <summary>What <see cref="SyncRunner.PreviewAsync"/> rendered, and what it could not.</summary>
public sealed record RenderPreview(IReadOnlyList<RenderedSection> Sections, IReadOnlyList<string> Problems);

/// <summary>One rendered section and the page it belongs on.</summary>
public sealed record RenderedSection(string Title, string Section, string Text);

/// <summary>One page decided: <paramref name="Done"/> of <paramref name="Total"/> pages of the pass.</summary>
public sealed record SyncProgress(int Done, int Total, PageOutcome Outcome);
