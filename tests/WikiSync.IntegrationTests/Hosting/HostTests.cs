using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WikiSync.Hosting;
using WikiSync.Jobs;
using WikiSync.Sections;
using WikiSync.Model;
using WikiSync.Storage;
using WikiSync.Sync;
using WikiSync.Testing;
using WikiSync.Wiki;

namespace WikiSync.IntegrationTests.Hosting;

/// <summary>The whole host in process, around fakes of the flow: Quartz on SQLite, Kestrel on loopback.</summary>
public sealed partial class HostTests : IAsyncLifetime
{
    private const string Token = "test-token-123";
    private readonly TempSqliteStore _store = new();
    private readonly RecordingSyncRunner _runner = new();
    private readonly InMemoryWiki _wiki = new();
    private readonly int _port = FreePort.Next();
    private IHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var settings = new RunSettings
        {
            DataFolder = _store.Folder,
            HttpPort = _port,
            HttpToken = Token,
            ShutoffPage = "User:Bot/Shutoff",
            WikiApi = "http://127.0.0.1:1/api.php",
            ShutoffCheckInterval = TimeSpan.FromMilliseconds(200),
        };
        _host = WikiSyncHost.Build(settings, services =>
        {
            services.AddSingleton<ISyncRunner>(_runner);
            services.AddSingleton<IWikiSite>(_wiki);
            services.AddSingleton<IStore>(_store);
            services.AddSingleton<IEditJournal>(new MemoryEditJournal());
            services.AddSingleton<ILogEntryReader, NoEntries>();
            services.AddSingleton(new JobCatalog([new JobDefinition("fast", "jobs/fast.yaml", JobSchedule.Every(TimeSpan.FromSeconds(1)), JobSource.Inventory,
                "fast", "Fast", "fast", false, JobDefinition.DefaultSkeleton, Placement.End, ForEach.Project, new Dictionary<string, string>())], []));
            services.AddSingleton<IProjectNames>(new FixedProjectNames(["alpha"]));
        }, logging => logging.SetMinimumLevel(LogLevel.Warning));
        await _host.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.StopAsync();
        _host.Dispose();
        _store.Dispose();
    }

    [Fact]
    public async Task A_one_second_job_runs_from_the_persistent_scheduler()
    {
        await WaitFor(() => _runner.Requests.Count(r => r.Jobs.SequenceEqual(["fast"])) >= 2, TimeSpan.FromSeconds(10));
        File.Exists(Path.Combine(_store.Folder, "wikisync.db")).ShouldBeTrue();
    }

    [Fact]
    public async Task Healthz_is_ready_when_store_and_wiki_answer_and_says_why_not()
    {
        (await _http.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        _wiki.ReadFailure = _ => new HttpRequestException("connection refused");
        var response = await _http.GetAsync("/healthz");
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).ShouldContain("wiki: connection refused");
    }

    [Fact]
    public async Task Metrics_are_in_prometheus_text_format()
    {
        await WaitFor(() => !_runner.Requests.IsEmpty, TimeSpan.FromSeconds(10));
        var text = await _http.GetStringAsync("/metrics");
        text.ShouldContain("# TYPE wikisync_edits_total counter");
        text.ShouldContain("wikisync_sal_entries_waiting 0");
        text.ShouldContain("wikisync_job_last_success_timestamp_seconds{job=\"fast\"}");
    }

    [Fact]
    public async Task Refresh_without_token_or_form_token_is_forbidden()
    {
        var response = await _http.PostAsync("/refresh/alpha", new FormUrlEncodedContent([]));
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "/refresh/alpha") { Content = new FormUrlEncodedContent([new("csrf", "guess")]) };
        crossSite.Headers.Add("Origin", "https://evil.example");
        (await _http.SendAsync(crossSite)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        _runner.Requests.ShouldNotContain(r => r.Projects.Contains("alpha"));
    }

    [Fact]
    public async Task Refresh_with_the_bearer_token_runs_the_project_now()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/refresh/alpha");
        request.Headers.Add("Authorization", "Bearer " + Token);
        (await _http.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await WaitFor(() => _runner.Requests.Any(r => r.Projects.SequenceEqual(["alpha"]) && r.Jobs.Count == 0), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Refresh_of_everything_runs_every_project_and_metrics_count_it_finished()
    {
        using var forbidden = new HttpRequestMessage(HttpMethod.Post, "/refresh");
        (await _http.SendAsync(forbidden)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/refresh");
        request.Headers.Add("Authorization", "Bearer " + Token);

        (await _http.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        await WaitFor(() => _runner.Requests.Any(r => r.Projects.Count == 0 && r.Jobs.Count == 0), TimeSpan.FromSeconds(5));
        string metrics = "";
        await WaitFor(async () => (metrics = await _http.GetStringAsync("/metrics"))
            .Contains("wikisync_job_runs_total{job=\"refresh all\",result=\"succeeded\"} 1", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        metrics.ShouldContain("wikisync_job_last_duration_seconds{job=\"refresh all\"}");
    }

    [Fact]
    public async Task Refresh_of_an_unknown_project_is_not_found()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/refresh/nope");
        request.Headers.Add("Authorization", "Bearer " + Token);
        (await _http.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_status_page_button_refreshes_a_project()
    {
        var page = await _http.GetStringAsync("/");
        page.ShouldContain("<td>fast</td>");
        page.ShouldContain("<td>sal-sweep</td>");
        var csrf = CsrfField().Match(page).Groups[1].Value;
        csrf.ShouldNotBeEmpty();

        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _http.BaseAddress };
        using var post = new HttpRequestMessage(HttpMethod.Post, "/refresh/alpha") { Content = new FormUrlEncodedContent([new("csrf", csrf)]) };
        post.Headers.Add("Origin", $"http://127.0.0.1:{_port}");
        var response = await noRedirect.SendAsync(post);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldBe("/?refreshed=alpha");
        await WaitFor(() => _runner.Requests.Any(r => r.Projects.SequenceEqual(["alpha"])), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task The_status_page_shows_the_emergency_stop_when_the_page_has_text()
    {
        _wiki.Save("User:Bot/Shutoff", "Stop, please.");
        await WaitFor(async () => (await _http.GetStringAsync("/")).Contains("Emergency stop engaged", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        _wiki.Save("User:Bot/Shutoff", "  \n");
        await WaitFor(async () => (await _http.GetStringAsync("/")).Contains("Not engaged", StringComparison.Ordinal), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Post_log_needs_the_bearer_token()
    {
        (await _http.PostAsync("/log", new StringContent("{\"project\":\"alpha\",\"message\":\"hi\"}"))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/log") { Content = new StringContent("{\"project\":\"alpha\",\"message\":\"hi\"}") };
        request.Headers.Add("Authorization", "Bearer " + Token);
        // No intake is registered in this host: the token is right, the SAL is not configured.
        (await _http.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
    }

    private static async Task WaitFor(Func<bool> condition, TimeSpan limit) => await WaitFor(() => Task.FromResult(condition()), limit);

    private static async Task WaitFor(Func<Task<bool>> condition, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"condition not met within {limit}");
            await Task.Delay(100);
        }
    }

    [GeneratedRegex("name=\"csrf\" value=\"([0-9a-f]+)\"")]
    private static partial Regex CsrfField();

    private sealed class NoEntries : ILogEntryReader
    {
        public Task<IReadOnlyList<LogEntry>> ListAsync(string project, DateTimeOffset? since, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<LogEntry>>([]);

        public Task<IReadOnlyList<string>> ProjectsWithUnpublishedAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([]);
    }
}
