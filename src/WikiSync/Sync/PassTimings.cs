using System.Globalization;

namespace WikiSync.Sync;

/// <summary>
/// Where one pass spent its time, phase by phase, for the operator's log line: a slow pass says whether
/// it waited for the sources, the rendering, the wiki's answers or its own edits.
/// </summary>
internal sealed class PassTimings(TimeProvider time)
{
    private readonly long _start = time.GetTimestamp();
    private readonly List<(string Phase, TimeSpan Took)> _phases = [];
    private long _last = -1;

    /// <summary>Ends the current phase (begun at the last lap, or at the start) under <paramref name="phase"/>.</summary>
    public void Lap(string phase)
    {
        var now = time.GetTimestamp();
        _phases.Add((phase, time.GetElapsedTime(_last < 0 ? _start : _last, now)));
        _last = now;
    }

    /// <summary>Time spent waiting for the wiki's answers to edits, a part of the save phase.</summary>
    public TimeSpan InEdits { get; private set; }

    public long StartEdit() => time.GetTimestamp();

    public void EndEdit(long started) => InEdits += time.GetElapsedTime(started);

    public TimeSpan Total => time.GetElapsedTime(_start);

    public override string ToString() =>
        string.Join(", ", _phases.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Phase} {p.Took.TotalMilliseconds:0} ms")))
        + (InEdits > TimeSpan.Zero ? string.Create(CultureInfo.InvariantCulture, $" (of it waiting for the wiki's edits {InEdits.TotalMilliseconds:0} ms)") : "");
}
