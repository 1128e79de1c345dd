using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace WikiSync.IntegrationTests.Support;

/// <summary>What one run of the `wikisync` executable did. PeakRssKb is set when run under /usr/bin/time.</summary>
public sealed record WikiSyncRun(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed, long? PeakRssKb)
{
    public string Output => Stdout + Stderr;

    /// <summary>The per-page lines: "updated TITLE (...)" and the like.</summary>
    public IReadOnlyList<string> PageLines(string verb) =>
        [.. Stdout.Split('\n').Where(l => l.StartsWith(verb + " ", StringComparison.Ordinal))];
}

/// <summary>Runs the real `wikisync` executable with an environment, as an operator would.</summary>
public static partial class WikiSyncProcess
{
    /// <summary>The integration tests pick the store here (TestStore); the benchmarks, which share this file, do not.</summary>
    static partial void ChooseStore(ref IReadOnlyDictionary<string, string> environment);

    [GeneratedRegex(@"Maximum resident set size \(kbytes\): (\d+)")]
    private static partial Regex MaxRss();

    /// <param name="clean">Drop the WIKISYNC_* variables this test process has, so only <paramref name="environment"/> configures it.</param>
    public static async Task<WikiSyncRun> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment,
        bool measureMemory = false, TimeSpan? timeout = null, string? workingDirectory = null, bool clean = false, CancellationToken ct = default)
    {
        ChooseStore(ref environment);
        var rssFile = measureMemory ? Path.GetTempFileName() : null;
        // An environment may name another build (the benchmarks time an earlier one beside this one).
        var executable = environment.GetValueOrDefault("WIKISYNC_TEST_EXECUTABLE") is { Length: > 0 } other ? other : RepoPaths.WikiSyncExecutable;
        var start = measureMemory
            ? new ProcessStartInfo("/usr/bin/time", ["-v", "-o", rssFile!, executable, .. args])
            : new ProcessStartInfo(executable, args);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = workingDirectory ?? RepoPaths.Root;
        if (clean)
        {
            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("WIKISYNC_", StringComparison.Ordinal)).ToList())
                start.Environment.Remove(name);
        }
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout ?? TimeSpan.FromMinutes(10));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"wikisync {string.Join(' ', args)} did not finish in time");
        }
        watch.Stop();
        long? rss = null;
        if (rssFile is not null)
        {
            var report = await File.ReadAllTextAsync(rssFile, Encoding.UTF8, ct);
            File.Delete(rssFile);
            if (MaxRss().Match(report) is { Success: true } m)
                rss = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        return new WikiSyncRun(process.ExitCode, await stdout, await stderr, watch.Elapsed, rss);
    }
}
