using WikiSync.Notifications;
using System.Globalization;
using System.Net;
using System.Text;
using WikiSync.Scheduling;
using WikiSync.Sync;

namespace WikiSync.Hosting;

/// <summary>Everything the status page shows, gathered at request time.</summary>
public sealed record StatusModel(
    DateTimeOffset Now,
    string Node,
    bool IsLeader,
    string StoreDescription,
    ShutoffState Shutoff,
    IReadOnlyList<JobStatus> Jobs,
    IReadOnlyList<RecentEdit> RecentEdits,
    SalBacklog Sal,
    IReadOnlyList<string> Projects,
    string? WikiIndex,
    string AntiForgeryToken,
    string? Notice = null)
{
    /// <summary>Edits by others found inside generated sections, newest first, and what WikiSync did (every node's).</summary>
    public IReadOnlyList<HumanEditEvent> HumanEdits { get; init; } = [];

    /// <summary>This node's OpenStack notifications: configured, connected, the latest event.</summary>
    public NotificationSnapshot Notifications { get; init; } = NotificationState.NotConfigured.Snapshot();

    /// <summary>The jobs whose last run on this node failed, with when and why.</summary>
    public IEnumerable<JobStatus> Failures => Jobs.Where(j => j.LastRun is { Result: RunResult.Failed });
}

/// <summary>One job line: schedule, last run on this node, and when it fires next anywhere in the cluster.</summary>
public sealed record JobStatus(string Name, string Schedule, JobRun? LastRun, DateTimeOffset? NextFire);

/// <summary>Renders the status page: plain HTML, no script or external asset, every value encoded.</summary>
public static class StatusPage
{
    public static string Render(StatusModel model)
    {
        var html = new StringBuilder(8192);
        html.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>WikiSync status</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:1.5em;color:#202122}
            table{border-collapse:collapse;margin-bottom:1.5em}th,td{border:1px solid #c8ccd1;padding:.3em .6em;text-align:left}
            th{background:#eaecf0}.ok{color:#14866d}.bad{color:#d33}.warn{color:#ac6600}
            .banner{padding:.6em 1em;border:2px solid #d33;background:#fee7e6;margin-bottom:1em}
            .notice{padding:.4em 1em;border:1px solid #36c;background:#eaf3ff;margin-bottom:1em}
            form{display:inline}button{cursor:pointer}
            </style></head><body>
            <h1>WikiSync status</h1>

            """);
        if (model.Notice is { } notice)
            html.Append("<p class=\"notice\">").Append(E(notice)).Append("</p>\n");

        html.Append("<p>Node <code>").Append(E(model.Node)).Append("</code>")
            .Append(model.IsLeader ? " — <strong>leader</strong> (holds the IRC connection)" : " — follower")
            .Append("; store ").Append(E(model.StoreDescription))
            .Append("; page rendered ").Append(E(Time(model.Now))).Append(".</p>\n");

        RenderShutoff(html, model.Shutoff);
        RenderNotifications(html, model.Notifications);
        RenderJobs(html, model);
        RenderSal(html, model.Sal, model.Now);
        RenderEdits(html, model);
        RenderHumanEdits(html, model);
        RenderProjects(html, model);
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void RenderShutoff(StringBuilder html, ShutoffState shutoff)
    {
        html.Append("<h2>Emergency stop</h2>\n");
        switch (shutoff.Status)
        {
            case ShutoffStatus.Engaged:
                html.Append("<p class=\"banner\" id=\"shutoff\"><strong>Emergency stop engaged:</strong> ")
                    .Append(E(shutoff.Page)).Append(" is not empty, so WikiSync makes no edits until it is emptied.");
                if (shutoff.Detail is { } text)
                    html.Append("<br>It says: <q>").Append(E(text)).Append("</q>");
                html.Append("</p>\n");
                break;
            case ShutoffStatus.Clear:
                html.Append("<p class=\"ok\" id=\"shutoff\">Not engaged (").Append(E(shutoff.Page)).Append(" is empty).</p>\n");
                break;
            default:
                html.Append("<p class=\"warn\" id=\"shutoff\">Not known yet (").Append(E(shutoff.Page)).Append(" not read)")
                    .Append(shutoff.Detail is { } d ? ": " + E(d) : "").Append(".</p>\n");
                break;
        }
    }

    private static void RenderNotifications(StringBuilder html, NotificationSnapshot notifications)
    {
        if (!notifications.Configured)
            return;
        html.Append("<h2>OpenStack notifications</h2>\n");
        html.Append(notifications.Connected ? "<p class=\"ok\" id=\"notifications\">Connected" : "<p class=\"warn\" id=\"notifications\">Disconnected");
        if (notifications.Since is { } since)
            html.Append(" since ").Append(E(Time(since)));
        if (notifications.Problem is { } problem)
            html.Append(": ").Append(E(problem));
        html.Append(notifications.Connected ? "." : " (pages follow the cloud at their scheduled passes meanwhile).");
        if (notifications.Last is { } last)
        {
            html.Append("<br>Last event: <code>").Append(E(last.EventType)).Append("</code>")
                .Append(last.Project is { } project ? " for " + E(project) : "")
                .Append(", ").Append(E(last.Result)).Append(", at ").Append(E(Time(last.At))).Append('.');
        }
        html.Append("</p>\n");
    }

    private static void RenderJobs(StringBuilder html, StatusModel model)
    {
        html.Append("<h2>Jobs</h2>\n<table id=\"jobs\"><tr><th>Job</th><th>Schedule</th><th>Last run (this node)</th><th>Result</th><th>Next fire</th></tr>\n");
        if (model.Jobs.Count == 0)
            html.Append("<tr><td colspan=\"5\">No jobs scheduled.</td></tr>\n");
        foreach (var job in model.Jobs)
        {
            html.Append("<tr><td>").Append(E(job.Name)).Append("</td><td>").Append(E(job.Schedule)).Append("</td><td>");
            html.Append(job.LastRun is { } run ? E(Time(run.Started)) : "never").Append("</td><td>");
            if (job.LastRun is { } last)
            {
                var css = last.Result switch
                {
                    RunResult.Succeeded => "ok",
                    RunResult.Failed => "bad",
                    _ => "warn",
                };
                html.Append("<span class=\"").Append(css).Append("\">").Append(E(last.Result.ToString().ToLowerInvariant()))
                    .Append("</span>: ").Append(E(last.Summary));
            }
            else
            {
                html.Append("—");
            }

            html.Append("</td><td>").Append(job.NextFire is { } next ? E(Time(next)) : "not scheduled").Append("</td></tr>\n");
        }

        html.Append("</table>\n");
    }

    private static void RenderSal(StringBuilder html, SalBacklog sal, DateTimeOffset now)
    {
        html.Append("<h2>Server Admin Log</h2>\n<p id=\"sal\">");
        if (sal.Waiting == 0)
        {
            html.Append("No entries waiting to be published.");
        }
        else
        {
            html.Append(sal.Waiting.ToString(CultureInfo.InvariantCulture)).Append(sal.Waiting == 1 ? " entry" : " entries")
                .Append(" waiting to be published");
            if (sal.Oldest is { } oldest)
                html.Append(", the oldest for ").Append(E(Age(now - oldest)));
            if (sal.Projects.Count > 0)
                html.Append(" (").Append(E(string.Join(", ", sal.Projects))).Append(')');
            html.Append('.');
        }

        html.Append("</p>\n");
        if (sal.RefusedCount == 0)
            return;
        html.Append("<h3>Refused SAL entries</h3>\n<p>").Append(sal.RefusedCount.ToString(CultureInfo.InvariantCulture))
            .Append(sal.RefusedCount == 1 ? " entry" : " entries")
            .Append(" the wiki refused for their text; they stay in the store until an operator runs <code>wikisync sal retry ID</code> or <code>wikisync sal hide ID</code>")
            .Append(sal.RefusedCount > sal.Refused.Count ? $" (the newest {sal.Refused.Count.ToString(CultureInfo.InvariantCulture)} shown)" : "")
            .Append(".</p>\n<table id=\"sal-refused\"><tr><th>Id</th><th>Received</th><th>Project</th><th>Author</th><th>Reason</th><th>Message</th></tr>\n");
        foreach (var refused in sal.Refused)
        {
            var entry = refused.Entry;
            html.Append("<tr><td>").Append(entry.Id.ToString(CultureInfo.InvariantCulture)).Append("</td><td>").Append(E(Time(entry.ReceivedUtc)))
                .Append("</td><td>").Append(E(entry.Project)).Append("</td><td>").Append(E(entry.Author))
                .Append("</td><td>").Append(E(refused.Reason ?? "")).Append("</td><td>").Append(E(entry.Message)).Append("</td></tr>\n");
        }

        html.Append("</table>\n");
    }

    private static void RenderEdits(StringBuilder html, StatusModel model)
    {
        html.Append("<h2>Recent edits</h2>\n<table id=\"edits\"><tr><th>When</th><th>Page</th><th>Sections</th><th>Job</th><th>Diff</th></tr>\n");
        if (model.RecentEdits.Count == 0)
            html.Append("<tr><td colspan=\"5\">None yet.</td></tr>\n");
        foreach (var edit in model.RecentEdits)
        {
            html.Append("<tr><td>").Append(E(Time(edit.At))).Append("</td><td>");
            if (model.WikiIndex is { } index)
            {
                html.Append("<a href=\"").Append(E(index + "?title=" + Uri.EscapeDataString(edit.Title.Replace(' ', '_'))))
                    .Append("\">").Append(E(edit.Title)).Append("</a>");
            }
            else
            {
                html.Append(E(edit.Title));
            }

            html.Append("</td><td>").Append(E(string.Join(", ", edit.Sections))).Append("</td><td>").Append(E(edit.Job)).Append("</td><td>");
            if (edit.Action == PageAction.Held)
                html.Append("held ");
            if (model.WikiIndex is { } wiki && edit.RevisionId > 0)
            {
                var rev = edit.RevisionId.ToString(CultureInfo.InvariantCulture);
                html.Append("<a href=\"").Append(E(wiki + "?diff=" + rev)).Append("\">diff ").Append(rev).Append("</a>");
            }
            else if (edit.Action != PageAction.Held)
            {
                html.Append(E(edit.Action.ToString().ToLowerInvariant()));
            }

            html.Append("</td></tr>\n");
        }

        html.Append("</table>\n");
    }

    private static void RenderHumanEdits(StringBuilder html, StatusModel model)
    {
        html.Append("<h2>Edits inside generated sections</h2>\n<table id=\"human-edits\"><tr><th>When</th><th>Page</th><th>Section</th><th>Edited by</th><th>What WikiSync did</th></tr>\n");
        if (model.HumanEdits.Count == 0)
            html.Append("<tr><td colspan=\"5\">None seen.</td></tr>\n");
        foreach (var edit in model.HumanEdits)
        {
            var rev = "r" + edit.Revision.ToString(CultureInfo.InvariantCulture);
            html.Append("<tr><td>").Append(E(Time(edit.At))).Append("</td><td>").Append(E(edit.Title)).Append("</td><td>").Append(E(edit.Section))
                .Append("</td><td>").Append(E(edit.User)).Append(" in ");
            if (model.WikiIndex is { } wiki && edit.Revision > 0)
                html.Append("<a href=\"").Append(E(wiki + "?diff=" + edit.Revision.ToString(CultureInfo.InvariantCulture))).Append("\">").Append(rev).Append("</a>");
            else
                html.Append(rev);
            html.Append("</td><td>").Append(edit.Action == HumanEditAction.Held
                ? "held: left as they wrote it until its data changes (<code>wikisync sync --take-back</code> regenerates it now)"
                : "replaced: regenerated over the edit").Append("</td></tr>\n");
        }

        html.Append("</table>\n");
    }

    private static void RenderProjects(StringBuilder html, StatusModel model)
    {
        html.Append("<h2>Projects</h2>\n<table id=\"projects\"><tr><th>Project</th><th></th></tr>\n");
        if (model.Projects.Count == 0)
            html.Append("<tr><td colspan=\"2\">No projects known yet.</td></tr>\n");
        foreach (var project in model.Projects)
        {
            html.Append("<tr><td>").Append(E(project)).Append("</td><td><form method=\"post\" action=\"/refresh/")
                .Append(E(Uri.EscapeDataString(project))).Append("\"><input type=\"hidden\" name=\"csrf\" value=\"")
                .Append(E(model.AntiForgeryToken)).Append("\"><button type=\"submit\">Refresh now</button></form></td></tr>\n");
        }

        html.Append("</table>\n");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Age(TimeSpan age) => age.TotalSeconds < 120
        ? $"{Math.Max(0, (int)age.TotalSeconds)} s"
        : age.TotalMinutes < 120 ? $"{(int)age.TotalMinutes} min" : $"{(int)age.TotalHours} h";
}
