using System.Globalization;
using System.Text;
using System.Text.Json;

namespace WikiSync.Hosting;

/// <summary>
/// <c>GET /status.json</c>: the status page's model for a machine (the MediaWiki extension's
/// Special:WikiSync): snake_case keys, ISO-8601 UTC times, null when unknown. Nothing secret is in the
/// model: the store is described as the HTML page shows it, and the anti-forgery token is left out.
/// </summary>
public static class StatusJson
{
    public static string Render(StatusModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("generated", Time(model.Now));
            json.WriteString("node", model.Node);
            json.WriteBoolean("leader", model.IsLeader);
            json.WriteString("store", model.StoreDescription);
            WriteShutoff(json, model.Shutoff);
            WriteNotifications(json, model.Notifications);
            WriteJobs(json, model);
            json.WriteStartArray("failures");
            foreach (var job in model.Failures)
            {
                var run = job.LastRun!;
                json.WriteStartObject();
                json.WriteString("job", job.Name);
                json.WriteString("at", Time(run.Finished ?? run.Started));
                json.WriteString("summary", run.Summary);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("sal");
            json.WriteNumber("waiting", model.Sal.Waiting);
            WriteTime(json, "oldest", model.Sal.Oldest);
            json.WriteStartArray("projects");
            foreach (var project in model.Sal.Projects)
                json.WriteStringValue(project);
            json.WriteEndArray();
            json.WriteEndObject();
            WriteEdits(json, model);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteNotifications(Utf8JsonWriter json, Notifications.NotificationSnapshot notifications)
    {
        json.WriteStartObject("notifications");
        json.WriteBoolean("configured", notifications.Configured);
        json.WriteString("status", !notifications.Configured ? "not configured" : notifications.Connected ? "connected" : "disconnected");
        WriteTime(json, "since", notifications.Since);
        json.WriteString("problem", notifications.Problem);
        if (notifications.Last is { } last)
        {
            json.WriteStartObject("last_event");
            json.WriteString("event_type", last.EventType);
            json.WriteString("project", last.Project);
            json.WriteString("result", last.Result);
            WriteTime(json, "at", last.At);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("last_event");
        }
        json.WriteEndObject();
    }

    private static void WriteShutoff(Utf8JsonWriter json, ShutoffState shutoff)
    {
        json.WriteStartObject("emergency_stop");
        json.WriteString("page", shutoff.Page);
        json.WriteString("status", shutoff.Status.ToString().ToLowerInvariant());
        json.WriteBoolean("engaged", shutoff.Engaged);
        WriteTime(json, "checked", shutoff.CheckedAt);
        json.WriteString("detail", shutoff.Detail);
        json.WriteEndObject();
    }

    private static void WriteJobs(Utf8JsonWriter json, StatusModel model)
    {
        json.WriteStartArray("jobs");
        foreach (var job in model.Jobs)
        {
            json.WriteStartObject();
            json.WriteString("name", job.Name);
            json.WriteString("schedule", job.Schedule);
            WriteTime(json, "next_run", job.NextFire);
            if (job.LastRun is { } run)
            {
                json.WriteStartObject("last_run");
                json.WriteString("started", Time(run.Started));
                WriteTime(json, "finished", run.Finished);
                json.WriteString("result", run.Result.ToString().ToLowerInvariant());
                json.WriteString("summary", run.Summary);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("last_run");
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteEdits(Utf8JsonWriter json, StatusModel model)
    {
        json.WriteStartArray("recent_edits");
        foreach (var edit in model.RecentEdits)
        {
            json.WriteStartObject();
            json.WriteString("at", Time(edit.At));
            json.WriteString("job", edit.Job);
            json.WriteString("title", edit.Title);
            WriteRevision(json, edit.RevisionId);
            json.WriteString("action", edit.Action.ToString().ToLowerInvariant());
            json.WriteStartArray("sections");
            foreach (var section in edit.Sections)
                json.WriteStringValue(section);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("human_edits");
        foreach (var edit in model.HumanEdits)
        {
            json.WriteStartObject();
            json.WriteString("at", Time(edit.At));
            json.WriteString("job", edit.Job);
            json.WriteString("title", edit.Title);
            json.WriteString("section", edit.Section);
            json.WriteString("user", edit.User);
            WriteRevision(json, edit.Revision);
            json.WriteString("action", edit.Action.ToString().ToLowerInvariant());
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    // 0 is what the journal keeps when the wiki did not say.
    private static void WriteRevision(Utf8JsonWriter json, long revision)
    {
        if (revision > 0)
            json.WriteNumber("revision", revision);
        else
            json.WriteNull("revision");
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? at)
    {
        if (at is { } value)
            json.WriteString(name, Time(value));
        else
            json.WriteNull(name);
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
