using System.Globalization;

namespace WikiSync.Sync;

/// <summary>
/// Where one pass spent its time, phase by phase, for the operator's log line: a slow pass says whether
/// it waited for the sources, the rendering, the wiki's answers or its own edits. Pages are checked while
/// others are saved, so the phases after planning overlap: each is the time spent in it, added up.
/// </summary>
internal sealed class PassTimings(TimeProvider time)
{
    private readonly long _start = time.GetTimestamp();
    private readonly List<(string Phase, TimeSpan Took)> _phases = [];
    private readonly Lock _lock = new();
    private long _last = -1;

    public TimeSpan Total => time.GetElapsedTime(_start);

    public long Now() => time.GetTimestamp();

    /// <summary>Ends the current sequential phase (begun at the last lap, or at the start) under <paramref name="phase"/>.</summary>
    public void Lap(string phase)
    {
        var now = time.GetTimestamp();
        Add(phase, time.GetElapsedTime(_last < 0 ? _start : _last, now));
        _last = now;
    }

    /// <summary>Adds the time since <paramref name="started"/> (from <see cref="Now"/>) to <paramref name="phase"/>.</summary>
    public void AddSince(string phase, long started) => Add(phase, time.GetElapsedTime(started));

    private void Add(string phase, TimeSpan took)
    {
        lock (_lock)
        {
            var i = _phases.FindIndex(p => p.Phase == phase);
            if (i < 0)
                _phases.Add((phase, took));
            else
                _phases[i] = (phase, _phases[i].Took + took);
        }
    }

    public override string ToString()
    {
        lock (_lock)
            return string.Join(", ", _phases.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Phase} {p.Took.TotalMilliseconds:0} ms")));
    }
}
