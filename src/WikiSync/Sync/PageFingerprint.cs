using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WikiSync.Sync;

/// <summary>
/// What identifies the sections one run wants on a page: the set of section names (a run of one job
/// and a run of all jobs keep separate verifications, so they do not undo each other's) and a hash of
/// everything that decides the splice — each section's job, name, placement and rendered text.
/// </summary>
internal static class PageFingerprint
{
    public static string SectionSet(PagePlan plan) => string.Join(',', plan.SectionNames);

    /// <summary>
    /// What the page's sections are rendered from, before they are: each section's job, name and placement
    /// (as <see cref="Hash"/> takes them) and what its template reads (<see cref="ISectionTemplates.InputsOf"/>).
    /// The same inputs give the same <see cref="Hash"/>, so a page verified with them need not be rendered.
    /// Null when a section cannot be known without rendering, or the page is rendered already.
    /// </summary>
    public static string? Inputs(PagePlan plan, ISectionTemplates templates)
    {
        if (plan.IsRendered)
            return null;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (job, context) in plan.Unrendered)
        {
            if (templates.InputsOf(job.Template, context) is not { } inputs)
                return null;
            Append(hash, job.Name);
            Append(hash, job.Section);
            Append(hash, job.Placement.Kind.ToString());
            Append(hash, job.Placement.Target ?? "");
            Append(hash, inputs);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static string Hash(PagePlan plan)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var section in plan.Sections)
        {
            // Length-prefixed fields: no two different section lists give the same bytes.
            Append(hash, section.Job);
            Append(hash, section.Name);
            Append(hash, section.Placement.Kind.ToString());
            Append(hash, section.Placement.Target ?? "");
            Append(hash, section.Text);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The hash of the text between one section's markers (<see cref="Sections.SectionSplicer.Inner"/> of a render, or as found on the wiki).</summary>
    public static string SectionText(string between) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(between)));

    private static void Append(IncrementalHash hash, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        hash.AppendData(Encoding.ASCII.GetBytes(bytes.Length.ToString(CultureInfo.InvariantCulture) + ":"));
        hash.AppendData(bytes);
    }
}
