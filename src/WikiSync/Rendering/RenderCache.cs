using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace WikiSync.Rendering;

/// <summary>
/// The text of sections already rendered in this process, by fingerprint: the template's text and the parts
/// of the <see cref="RenderContext"/> it reads (<see cref="TemplateReads"/>), every member Scriban can read
/// written out (<see cref="FingerprintWriter"/>). A section
/// whose inputs did not change is not rendered again — most sections of a pass, since most projects did not
/// change (issue 12: this replaced a hand-compiled copy of Scriban's loop evaluation). A fingerprint is
/// SHA-256, so two inputs that differ never share a text. Bounded: texts are kept only for fingerprints
/// seen before (a one-shot <c>wikisync sync</c> renders each section once and keeps 32 bytes for it), and
/// at most <see cref="Budget"/> characters in two generations (the older one is dropped when the newer fills).
/// </summary>
internal static class RenderCache
{
    /// <summary>Characters of rendered text kept at most (each entry also counts <see cref="EntryCost"/>).</summary>
    public const int Budget = 4 * 1024 * 1024;

    private const int EntryCost = 64;

    private static readonly Lock s_lock = new();
    private static Dictionary<Fingerprint, string?> s_current = [];
    private static Dictionary<Fingerprint, string?> s_previous = [];
    private static long s_currentCost;

    // For dotnet-counters and the like: how many sections the cache answered.
    private static readonly Meter s_meter = new("WikiSync.Rendering");
    private static readonly Counter<long> s_hits = s_meter.CreateCounter<long>("wikisync.render.cache.hits", description: "Sections taken from the render cache instead of rendered");

    [ThreadStatic] private static FingerprintWriter? s_writer;

    /// <summary>
    /// This build of WikiSync and of Scriban: a fingerprint is kept from one run to the next (the store's
    /// verified pages), and an upgrade may render the same inputs differently (an escaping fix, a helper),
    /// so the first pass after one renders every section again.
    /// </summary>
    private static readonly byte[] s_build =
    [
        .. typeof(RenderCache).Assembly.ManifestModule.ModuleVersionId.ToByteArray(),
        .. typeof(Scriban.Template).Assembly.ManifestModule.ModuleVersionId.ToByteArray(),
    ];

    /// <summary>The fingerprint of one render: the build, the template's own hash, then each part it reads, in a fixed order; null when a part cannot be fingerprinted.</summary>
    public static Fingerprint? Of(ReadOnlySpan<byte> templateHash, TemplateReads reads, RenderContext context)
    {
        var writer = s_writer ??= new FingerprintWriter();
        writer.Reset();
        writer.Raw(s_build);
        writer.Raw(templateHash);
        if ((reads.HasFlag(TemplateReads.Project) && !writer.Value(context.Project)) ||
            (reads.HasFlag(TemplateReads.Projects) && !writer.Value(context.Projects)) ||
            (reads.HasFlag(TemplateReads.Entries) && !writer.Value(context.Entries)) ||
            (reads.HasFlag(TemplateReads.Now) && !writer.Value(context.Now)) ||
            (reads.HasFlag(TemplateReads.Today) && !writer.Value(context.Now.UtcDateTime.Date)) ||
            (reads.HasFlag(TemplateReads.Page) && !writer.Value(context.PageTitle)) ||
            (reads.HasFlag(TemplateReads.Parameters) && !writer.Value(context.Parameters)))
            return null;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(writer.Written, hash);
        if (writer.Capacity > 1024 * 1024)
            s_writer = null; // one huge SAL archive should not stay with the thread
        return MemoryMarshal.Read<Fingerprint>(hash);
    }

    /// <summary>The text rendered before for this fingerprint; null when it must be rendered (and then <see cref="Keep"/> is called).</summary>
    public static string? Find(Fingerprint fingerprint)
    {
        lock (s_lock)
        {
            if (!s_current.TryGetValue(fingerprint, out var text))
            {
                if (!s_previous.Remove(fingerprint, out text))
                    return null;
                Put(fingerprint, text);
            }

            if (text is not null)
                s_hits.Add(1);
            return text;
        }
    }

    /// <summary>Notes a render: the first time a fingerprint is seen only that it was; from the second, its text.</summary>
    public static void Keep(Fingerprint fingerprint, string text)
    {
        lock (s_lock)
        {
            // Find has just moved a fingerprint seen before into the current generation.
            var seen = s_current.ContainsKey(fingerprint);
            Put(fingerprint, seen && text.Length <= Budget / 8 ? text : null);
        }
    }

    private static void Put(Fingerprint fingerprint, string? text)
    {
        if (s_current.TryGetValue(fingerprint, out var old))
            s_currentCost -= EntryCost + (old?.Length ?? 0);
        s_current[fingerprint] = text;
        s_currentCost += EntryCost + (text?.Length ?? 0);
        if (s_currentCost > Budget / 2)
        {
            s_previous = s_current;
            s_current = [];
            s_currentCost = 0;
        }
    }
}

/// <summary>A SHA-256 as four words: a dictionary key without an array.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct Fingerprint(ulong A, ulong B, ulong C, ulong D)
{
    public override string ToString() => $"{A:x16}{B:x16}{C:x16}{D:x16}";
}

/// <summary>The parts of the <see cref="RenderContext"/> a template reads (see <see cref="TemplateAnalysis"/>).</summary>
[Flags]
internal enum TemplateReads
{
    None = 0,
    Project = 1,
    Projects = 2,
    Entries = 4,
    Now = 8,
    Page = 16,
    Parameters = 32,

    /// <summary><c>now</c> read only as <c>sal.recent</c>'s clock, which looks at its UTC date alone: the section changes once a day, not every pass.</summary>
    Today = 64,
}
