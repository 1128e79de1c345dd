using WikiSync.Notifications;
using WikiSync.Hosting;
using WikiSync.Sync;
using WikiSync.Scheduling;

namespace WikiSync.Tests.Hosting;

public sealed class StatusPageTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 12, 0, 0, TimeSpan.Zero);

    private static StatusModel Model(
        ShutoffState? shutoff = null,
        IReadOnlyList<JobStatus>? jobs = null,
        IReadOnlyList<RecentEdit>? edits = null,
        SalBacklog? sal = null,
        IReadOnlyList<string>? projects = null) =>
        new(Now, "node-1", true, "SQLite /tmp/x.db",
            shutoff ?? new ShutoffState("User:Bot/Shutoff", ShutoffStatus.Clear, Now, null),
            jobs ?? [],
            edits ?? [],
            sal ?? SalBacklog.None,
            projects ?? [],
            "http://127.0.0.1:8094/index.php",
            "csrf-token-value");

    [Fact]
    public void A_node_without_notifications_shows_no_notifications_part_and_a_disconnected_one_says_why_encoded()
    {
        StatusPage.Render(Model()).ShouldNotContain("OpenStack notifications");

        var html = StatusPage.Render(Model() with
        {
            Notifications = new NotificationSnapshot(true, false, "refused <b>", Now, new LastNotification("instance.delete.end", "bots", "queued", Now)),
        });

        html.ShouldContain("<h2>OpenStack notifications</h2>");
        html.ShouldContain("<p class=\"warn\" id=\"notifications\">Disconnected since ");
        html.ShouldContain("refused &lt;b&gt;");
        html.ShouldContain("Last event: <code>instance.delete.end</code> for bots, queued");
    }

    [Fact]
    public void Every_job_shows_its_last_run_result_and_next_fire()
    {
        var html = StatusPage.Render(Model(jobs:
        [
            new JobStatus("instances", "every 00:01:00", new JobRun("instances", Now.AddSeconds(-30), Now.AddSeconds(-29), RunResult.Succeeded, "1 updated, 4 unchanged"), Now.AddSeconds(30)),
            new JobStatus("members", "every 00:01:00", new JobRun("members", Now.AddSeconds(-5), Now, RunResult.Failed, "ldap: unreachable"), Now.AddSeconds(55)),
            new JobStatus("project-index", "cron 0 */10 * * * ?", null, null),
        ]));

        html.ShouldContain("<td>instances</td>");
        html.ShouldContain("2026-03-04 11:59:30 UTC");
        html.ShouldContain("<span class=\"ok\">succeeded</span>: 1 updated, 4 unchanged");
        html.ShouldContain("2026-03-04 12:00:30 UTC");
        html.ShouldContain("<span class=\"bad\">failed</span>: ldap: unreachable");
        html.ShouldContain("<td>project-index</td><td>cron 0 */10 * * * ?</td><td>never</td>");
        html.ShouldContain("not scheduled");
    }

    [Fact]
    public void Recent_edits_link_to_the_wiki_diff()
    {
        var html = StatusPage.Render(Model(edits: [new RecentEdit(Now, "instances", "Nova Resource:Alpha", 1234, PageAction.Updated, ["instances"])]));
        html.ShouldContain("<a href=\"http://127.0.0.1:8094/index.php?diff=1234\">diff 1234</a>");
        html.ShouldContain("index.php?title=Nova_Resource%3AAlpha");
    }

    [Fact]
    public void An_engaged_emergency_stop_is_shown_as_a_banner_with_its_text()
    {
        var html = StatusPage.Render(Model(shutoff: new ShutoffState("User:Bot/Shutoff", ShutoffStatus.Engaged, Now, "stop! bot broke the tables")));
        html.ShouldContain("class=\"banner\"");
        html.ShouldContain("Emergency stop engaged");
        html.ShouldContain("stop! bot broke the tables");
    }

    [Fact]
    public void Waiting_sal_entries_show_their_count_age_and_projects()
    {
        var html = StatusPage.Render(Model(sal: new SalBacklog(3, Now.AddMinutes(-5), ["alpha", "beta"])));
        html.ShouldContain("3 entries waiting to be published, the oldest for 5 min (alpha, beta).");
        StatusPage.Render(Model()).ShouldContain("No entries waiting to be published.");
    }

    [Fact]
    public void Each_project_gets_a_post_button_carrying_the_anti_forgery_token()
    {
        var html = StatusPage.Render(Model(projects: ["alpha"]));
        html.ShouldContain("<form method=\"post\" action=\"/refresh/alpha\"><input type=\"hidden\" name=\"csrf\" value=\"csrf-token-value\"><button type=\"submit\">Refresh now</button></form>");
    }

    [Fact]
    public void Values_are_html_encoded_so_a_project_name_cannot_inject_markup()
    {
        var html = StatusPage.Render(Model(
            projects: ["<script>alert(1)</script>"],
            jobs: [new JobStatus("j", "every 1", new JobRun("j", Now, Now, RunResult.Failed, "<img src=x onerror=alert(1)>"), null)],
            shutoff: new ShutoffState("User:B/Shutoff", ShutoffStatus.Engaged, Now, "</p><script>x</script>")));
        html.ShouldNotContain("<script>");
        html.ShouldNotContain("<img");
        html.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt;");
        html.ShouldContain("/refresh/%3Cscript%3Ealert%281%29%3C%2Fscript%3E");
    }

    [Fact]
    public void The_page_loads_no_external_asset()
    {
        var html = StatusPage.Render(Model(projects: ["a"], edits: [new RecentEdit(Now, "j", "T", 5, PageAction.Created, ["s"])]));
        html.ShouldNotContain("<script");
        html.ShouldNotContain("<link");
        html.ShouldNotContain("src=");
        html.ShouldNotContain("https://");
    }

    [Fact]
    public void Refused_sal_entries_are_listed_with_project_author_and_reason_escaped()
    {
        var entry = new WikiSync.Model.LogEntry(42, "tools", "<b>mallory</b>", "buy <script>x</script>", "#ops", Now.AddMinutes(-3));
        var sal = SalBacklog.None with
        {
            RefusedCount = 1,
            Refused = [new WikiSync.AdminLog.StoredLogEntry(entry, WikiSync.AdminLog.SalEntryState.Refused, "spamdetected: \"Nova Resource:tools/SAL\" <bad>", Now)],
        };

        var html = StatusPage.Render(Model(sal: sal));

        html.ShouldContain("Refused SAL entries");
        html.ShouldContain("<table id=\"sal-refused\">");
        html.ShouldContain("<td>42</td>");
        html.ShouldContain("<td>tools</td>");
        html.ShouldContain("&lt;b&gt;mallory&lt;/b&gt;");
        html.ShouldContain("spamdetected: &quot;Nova Resource:tools/SAL&quot; &lt;bad&gt;");
        html.ShouldNotContain("<script>");
        html.ShouldContain("wikisync sal retry ID");
    }

    [Fact]
    public void No_refused_list_when_none_is_refused()
    {
        StatusPage.Render(Model()).ShouldNotContain("Refused SAL entries");
    }

    [Fact]
    public void Edits_inside_sections_show_who_and_what_was_done()
    {
        var model = Model(edits: [new RecentEdit(Now, "instances", "Nova Resource:bots", 42, PageAction.Held, ["instances"])]) with
        {
            HumanEdits =
            [
                new HumanEditEvent(Now, "instances", "Nova Resource:bots", "instances", "Editor", 41, HumanEditAction.Held),
                new HumanEditEvent(Now, "members", "Nova Resource:web", "members", "<Mallory>", 40, HumanEditAction.Replaced),
            ],
        };

        var html = StatusPage.Render(model);

        html.ShouldContain("<table id=\"human-edits\">");
        html.ShouldContain("<td>Nova Resource:bots</td><td>instances</td><td>Editor in <a href=\"http://127.0.0.1:8094/index.php?diff=41\">r41</a></td><td>held:");
        html.ShouldContain("<td>&lt;Mallory&gt; in <a href=\"http://127.0.0.1:8094/index.php?diff=40\">r40</a></td><td>replaced:");
        html.ShouldContain("held <a href=\"http://127.0.0.1:8094/index.php?diff=42\">diff 42</a>");
    }
}
