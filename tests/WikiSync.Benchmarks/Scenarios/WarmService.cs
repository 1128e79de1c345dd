using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using WikiSync.IntegrationTests.Support;

namespace WikiSync.Benchmarks.Scenarios;

/// <summary>
/// `wikisync run` as in production, kept running between measurements: a refresh is asked for through
/// its HTTP endpoint (POST /refresh, bearer token) and is done when /metrics counts one more finished run
/// of "refresh all" — the service's own signal, not a sleep.
/// </summary>
public sealed partial class WarmService : IAsyncDisposable
{
    private const string Label = "refresh all";

    /// <summary>
    /// How often /metrics is asked whether the run finished. Every few milliseconds would take CPU from the
    /// service and the wiki on a small machine (the run under measurement); the run's own duration, which
    /// the service reports, does not depend on it, and the wall time overshoots by at most this much.
    /// </summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private readonly WikiSyncHost _host;
    private readonly HttpClient _http;
    private readonly string _token;

    private WarmService(WikiSyncHost host, HttpClient http, string token)
    {
        _host = host;
        _http = http;
        _token = token;
    }

    public string Output => _host.Output;

    /// <summary>The project page jobs with their schedules moved far off, so no scheduled pass overlaps a timed refresh.</summary>
    public static string WriteJobs(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var job in new[] { "instances", "members", "sal-recent" })
        {
            var text = File.ReadAllText(Path.Combine(RepoPaths.Jobs, job + ".yaml"));
            text = ScheduleLine().Replace(text, "schedule: { cron: \"0 0 0 1 1 ? 2099\" }");
            File.WriteAllText(Path.Combine(folder, job + ".yaml"), text);
        }
        return folder;
    }

    public static async Task<WarmService> StartAsync(Dictionary<string, string> environment, CancellationToken ct)
    {
        var migrate = await WikiSyncProcess.RunAsync(["store", "migrate"], environment, ct: ct);
        if (migrate.ExitCode != 0)
            throw new InvalidOperationException($"wikisync store migrate exited {migrate.ExitCode}\n{migrate.Output}");
        var port = FreePort();
        var token = Guid.NewGuid().ToString("N");
        var env = new Dictionary<string, string>(environment)
        {
            ["WIKISYNC_HTTP_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["WIKISYNC_HTTP_TOKEN"] = token,
        };
        var host = WikiSyncHost.Start(env, "run");
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        var service = new WarmService(host, http, token);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (host.HasExited)
                throw new InvalidOperationException($"wikisync run exited before it answered:\n{host.Output}");
            try
            {
                using var answer = await http.GetAsync("metrics", ct);
                if (answer.IsSuccessStatusCode)
                    break;
            }
            catch (HttpRequestException)
            {
            }
            if (deadline.Elapsed > TimeSpan.FromMinutes(2))
                throw new TimeoutException($"wikisync run did not answer on port {port}:\n{host.Output}");
            await Task.Delay(50, ct);
        }
        return service;
    }

    /// <summary>
    /// One refresh of every project: the wall time from the request sent to /metrics counting it finished,
    /// and the run's own duration as the service reports it.
    /// </summary>
    public async Task<(TimeSpan Wall, double ServiceSeconds, string Result)> RefreshAsync(CancellationToken ct)
    {
        var before = await RunsAsync(ct);
        var watch = Stopwatch.StartNew();
        using (var request = new HttpRequestMessage(HttpMethod.Post, "refresh"))
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _token);
            using var answer = await _http.SendAsync(request, ct);
            if (answer.StatusCode != HttpStatusCode.Accepted)
                throw new InvalidOperationException($"POST /refresh answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync(ct)}");
        }
        while (true)
        {
            var now = await RunsAsync(ct);
            if (now.Total > before.Total)
            {
                watch.Stop();
                var result = now.ByResult.First(r => r.Value > before.ByResult.GetValueOrDefault(r.Key)).Key;
                return (watch.Elapsed, now.LastDuration, result);
            }
            if (_host.HasExited)
                throw new InvalidOperationException($"wikisync run exited during a refresh:\n{_host.Output}");
            if (watch.Elapsed > TimeSpan.FromMinutes(30))
                throw new TimeoutException("the refresh did not finish within 30 minutes");
            await Task.Delay(PollInterval, ct);
        }
    }

    private sealed record Runs(double Total, Dictionary<string, double> ByResult, double LastDuration);

    private async Task<Runs> RunsAsync(CancellationToken ct)
    {
        var text = await _http.GetStringAsync("metrics", ct);
        var byResult = new Dictionary<string, double>(StringComparer.Ordinal);
        var duration = double.NaN;
        foreach (Match m in MetricLine().Matches(text))
        {
            if (m.Groups["job"].Value != Label)
                continue;
            var value = double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            if (m.Groups["name"].Value == "wikisync_job_runs_total")
                byResult[m.Groups["result"].Value] = value;
            else
                duration = value;
        }
        return new Runs(byResult.Values.Sum(), byResult, duration);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [GeneratedRegex(@"^schedule:.*$", RegexOptions.Multiline)]
    private static partial Regex ScheduleLine();

    [GeneratedRegex(@"^(?<name>wikisync_job_runs_total|wikisync_job_last_duration_seconds)\{job=""(?<job>[^""]*)""(?:,result=""(?<result>[^""]*)"")?\} (?<value>\S+)$", RegexOptions.Multiline)]
    private static partial Regex MetricLine();
}
