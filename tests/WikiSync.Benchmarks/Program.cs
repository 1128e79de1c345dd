using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using WikiSync.Benchmarks;
using WikiSync.Benchmarks.Micro;
using WikiSync.Benchmarks.Scenarios;
using WikiSync.IntegrationTests.Support;
using WikiSync.Sync;

// Issue 6's benchmarks. scripts/bench.sh brings up a fresh local wiki, exports its settings and runs this;
// every scenario adds a section to RESULTS.md, a failing one says why instead of stopping the others.
var options = BenchOptions.Parse(args);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
var ct = cancel.Token;

var results = new List<ScenarioResult>();
var failed = false;

async Task Scenario(string name, Func<Task<ScenarioResult>> run, bool always = false)
{
    if (!always && !options.Wants(name))
        return;
    Console.Error.WriteLine($"== {name}");
    try
    {
        results.Add(await run());
    }
    catch (Exception e) when (e is not OperationCanceledException)
    {
        failed = true;
        Console.Error.WriteLine($"{name} failed: {e}");
        results.Add(new ScenarioResult(name, $"Not measured: {e.GetType().Name}: {e.Message.Split('\n')[0]}\n", [new(name, "runs", "failed", false)]));
    }
}

if (options.Micro)
    await Scenario("micro", () => Task.FromResult(MicroRunner.Run(options, BenchContext.NewWorkDir())));

var needsWiki = new[] { "refresh", "changed", "scale", "sal", "sal-history", "cloud" }.Any(options.Wants);
BenchContext? context = null;
if (needsWiki)
{
    context = BenchContext.FromEnvironment(options);
    var port = int.TryParse(Environment.GetEnvironmentVariable("WIKISYNC_BENCH_PROXY_PORT"), CultureInfo.InvariantCulture, out var p) ? p : 0;
    await using var proxy = await FaultProxy.StartAsync(context.Api, port, ct);
    var refresh = new RefreshScenarios(context, proxy);
    var ready = false;
    if (options.Wants("refresh") || options.Wants("changed"))
    {
        await Scenario("setup", async () =>
        {
            await refresh.SetUpAsync(ct);
            ready = true;
            return new ScenarioResult("Setup", $"{options.Pages} pages created and checked current.\n", []);
        }, always: true);
        results.RemoveAll(r => r.Title == "Setup");
    }
    if (ready)
    {
        await Scenario("refresh", () => refresh.NothingChangedAsync(ct));
        await Scenario("changed", () => refresh.ChangedAsync(ct));
    }
    await Scenario("scale", () => new ScaleScenario(context, proxy).RunAsync(ct));
    await Scenario("sal", () => new SalLatencyScenario(context, proxy).RunAsync(ct));
    await Scenario("sal-history", () => new SalHistoryScenario(context, proxy).RunAsync(ct));
    await Scenario("cloud", () => new CloudScenario(context, proxy).RunAsync(ct));
}

var output = options.Output ?? Path.Combine(RepoPaths.Root, "tests", "WikiSync.Benchmarks", "RESULTS.md");
await File.WriteAllTextAsync(output, Report(results, context?.Api), ct);
Console.Error.WriteLine($"wrote {output}");
return failed ? 1 : 0;

string Report(List<ScenarioResult> scenarios, Uri? api)
{
    var md = new StringBuilder();
    md.AppendLine("# WikiSync benchmark results");
    md.AppendLine();
    md.AppendLine($"Written by `scripts/bench.sh`{(options.Smoke ? " (smoke sizes: not real figures)" : "")} on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. Every figure is the median with the spread (min–max) and the number of runs.");
    md.AppendLine();
    md.AppendLine("## Machine");
    md.AppendLine();
    md.AppendLine($"- CPU: {CpuModel()}, `nproc` = {Environment.ProcessorCount}");
    md.AppendLine($"- memory: {MemoryTotal()}");
    md.AppendLine($"- OS: {OsName()}; {RuntimeInformation.FrameworkDescription}");
    md.AppendLine($"- MediaWiki: {Command("php", "-r", "echo 'PHP ' . PHP_VERSION;")}, {MediaWikiVersion(api)}, SQLite, served by `php -S` (PHP_CLI_SERVER_WORKERS=4, as scripts/local-wiki.sh starts it) on 127.0.0.1");
    md.AppendLine($"- node {Command("node", "--version")}, mwn {MwnVersion()}");
    md.AppendLine($"- WikiSync commit {Command("git", "-C", RepoPaths.Root, "rev-parse", "--short", "HEAD")}");
    md.AppendLine();
    md.AppendLine("## Targets");
    md.AppendLine();
    md.AppendLine("| figure | target | measured | met |");
    md.AppendLine("| --- | --- | --- | --- |");
    foreach (var t in scenarios.SelectMany(s => s.Targets))
        md.AppendLine($"| {t.Figure} | {t.Target} | {t.Measured}{(t.Note.Length > 0 ? $" ({t.Note})" : "")} | {t.Met switch { true => "yes", false => "**no**", null => "–" }} |");
    foreach (var s in scenarios)
    {
        md.AppendLine();
        md.AppendLine($"## {s.Title}");
        md.AppendLine();
        md.Append(s.Markdown);
    }
    var findings = Path.Combine(RepoPaths.Root, "tests", "WikiSync.Benchmarks", "FINDINGS.md");
    if (File.Exists(findings) && !options.Smoke)
    {
        md.AppendLine();
        md.Append(File.ReadAllText(findings));
    }
    return md.ToString();
}

static string CpuModel()
{
    try
    {
        return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
    }
    catch (IOException)
    {
        return "unknown";
    }
}

static string MemoryTotal()
{
    var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal));
    return line is null ? "unknown" : Fmt.F(long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0 / 1024.0, "0.0") + " GiB";
}

static string OsName() =>
    File.Exists("/etc/os-release")
        ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"') ?? "Linux"
        : RuntimeInformation.OSDescription;

static string MwnVersion()
{
    var file = Path.Combine(RepoPaths.Root, "tests", "WikiSync.Benchmarks", "mwn", "node_modules", "mwn", "package.json");
    return File.Exists(file) && System.Text.Json.JsonDocument.Parse(File.ReadAllText(file)).RootElement.TryGetProperty("version", out var v) ? v.GetString() ?? "?" : "not installed";
}

static string MediaWikiVersion(Uri? api)
{
    if (api is null)
        return "MediaWiki (not used)";
    try
    {
        using var session = new ApiSession(api);
        return session.GetAsync("action=query&meta=siteinfo&siprop=general").GetAwaiter().GetResult()
            .GetProperty("query").GetProperty("general").GetProperty("generator").GetString() ?? "MediaWiki";
    }
    catch (Exception e) when (e is HttpRequestException or ApiSessionException or InvalidOperationException)
    {
        return "MediaWiki (version unknown)";
    }
}

static string Command(string file, params string[] arguments)
{
    try
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var text = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return text.Length > 0 ? text : "?";
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return "not installed";
    }
}
