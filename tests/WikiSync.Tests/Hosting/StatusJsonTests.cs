using System.Text.Json;
using WikiSync.Hosting;
using WikiSync.Notifications;
using WikiSync.Scheduling;
using WikiSync.Sync;

namespace WikiSync.Tests.Hosting;

/// <summary>Issue 15 §1: GET /status.json, the shape Special:WikiSync reads.</summary>
public sealed class StatusJsonTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 12, 0, 0, TimeSpan.Zero);

    private static StatusModel Model() =>
        new(Now, "node-1", true, "SQLite /tmp/x.db",
            new ShutoffState("User:Bot/Shutoff", ShutoffStatus.Engaged, Now.AddSeconds(-5), "stop, please"),
            [
                new JobStatus("instances", "every 1m", new JobRun("instances", Now.AddMinutes(-1), Now.AddSeconds(-50), RunResult.Failed, "1 failed"), Now.AddSeconds(10)),
                new JobStatus("members", "on demand", null, null),
            ],
            [new RecentEdit(Now.AddMinutes(-2), "instances", "Nova Resource:bots", 42, PageAction.Held, ["instances", "members"])],
            new SalBacklog(2, Now.AddMinutes(-3), ["bots"]),
            ["bots"],
            "http://127.0.0.1:8094/index.php",
            "csrf-token-value")
        {
            HumanEdits = [new HumanEditEvent(Now.AddMinutes(-2), "instances", "Nova Resource:bots", "instances", "Editor", 41, HumanEditAction.Held)],
        };

    [Fact]
    public void Notifications_say_connected_or_not_since_when_and_the_last_event()
    {
        var model = Model() with
        {
            Notifications = new NotificationSnapshot(true, false, "connection refused", Now.AddSeconds(-30),
                new LastNotification("instance.create.end", "bots", "queued", Now.AddMinutes(-1))),
        };

        using var json = JsonDocument.Parse(StatusJson.Render(model));
        var notifications = json.RootElement.GetProperty("notifications");

        notifications.GetProperty("configured").GetBoolean().ShouldBeTrue();
        notifications.GetProperty("status").GetString().ShouldBe("disconnected");
        notifications.GetProperty("since").GetString().ShouldBe("2026-03-04T11:59:30Z");
        notifications.GetProperty("problem").GetString().ShouldBe("connection refused");
        var last = notifications.GetProperty("last_event");
        (last.GetProperty("event_type").GetString(), last.GetProperty("project").GetString(), last.GetProperty("result").GetString(), last.GetProperty("at").GetString())
            .ShouldBe(("instance.create.end", "bots", "queued", "2026-03-04T11:59:00Z"));
        using var plain = JsonDocument.Parse(StatusJson.Render(Model()));
        plain.RootElement.GetProperty("notifications").GetProperty("status").GetString().ShouldBe("not configured");
        plain.RootElement.GetProperty("notifications").GetProperty("last_event").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public void Has_every_field_in_snake_case_with_utc_times()
    {
        using var json = JsonDocument.Parse(StatusJson.Render(Model()));
        var root = json.RootElement;

        root.GetProperty("generated").GetString().ShouldBe("2026-03-04T12:00:00Z");
        root.GetProperty("node").GetString().ShouldBe("node-1");
        root.GetProperty("leader").GetBoolean().ShouldBeTrue();
        root.GetProperty("store").GetString().ShouldBe("SQLite /tmp/x.db");
        var stop = root.GetProperty("emergency_stop");
        stop.GetProperty("page").GetString().ShouldBe("User:Bot/Shutoff");
        stop.GetProperty("status").GetString().ShouldBe("engaged");
        stop.GetProperty("engaged").GetBoolean().ShouldBeTrue();
        stop.GetProperty("checked").GetString().ShouldBe("2026-03-04T11:59:55Z");
        stop.GetProperty("detail").GetString().ShouldBe("stop, please");
        var jobs = root.GetProperty("jobs");
        jobs.GetArrayLength().ShouldBe(2);
        jobs[0].GetProperty("name").GetString().ShouldBe("instances");
        jobs[0].GetProperty("schedule").GetString().ShouldBe("every 1m");
        jobs[0].GetProperty("next_run").GetString().ShouldBe("2026-03-04T12:00:10Z");
        var run = jobs[0].GetProperty("last_run");
        run.GetProperty("started").GetString().ShouldBe("2026-03-04T11:59:00Z");
        run.GetProperty("finished").GetString().ShouldBe("2026-03-04T11:59:10Z");
        run.GetProperty("result").GetString().ShouldBe("failed");
        run.GetProperty("summary").GetString().ShouldBe("1 failed");
        jobs[1].GetProperty("last_run").ValueKind.ShouldBe(JsonValueKind.Null);
        jobs[1].GetProperty("next_run").ValueKind.ShouldBe(JsonValueKind.Null);
        var failure = root.GetProperty("failures").EnumerateArray().ShouldHaveSingleItem();
        (failure.GetProperty("job").GetString(), failure.GetProperty("at").GetString(), failure.GetProperty("summary").GetString())
            .ShouldBe(("instances", "2026-03-04T11:59:10Z", "1 failed"));
        var sal = root.GetProperty("sal");
        sal.GetProperty("waiting").GetInt32().ShouldBe(2);
        sal.GetProperty("oldest").GetString().ShouldBe("2026-03-04T11:57:00Z");
        sal.GetProperty("projects").EnumerateArray().Select(p => p.GetString()).ShouldBe(["bots"]);
        var edit = root.GetProperty("recent_edits").EnumerateArray().ShouldHaveSingleItem();
        edit.GetProperty("at").GetString().ShouldBe("2026-03-04T11:58:00Z");
        edit.GetProperty("job").GetString().ShouldBe("instances");
        edit.GetProperty("title").GetString().ShouldBe("Nova Resource:bots");
        edit.GetProperty("revision").GetInt64().ShouldBe(42);
        edit.GetProperty("action").GetString().ShouldBe("held");
        edit.GetProperty("sections").EnumerateArray().Select(s => s.GetString()).ShouldBe(["instances", "members"]);
        var human = root.GetProperty("human_edits").EnumerateArray().ShouldHaveSingleItem();
        human.GetProperty("section").GetString().ShouldBe("instances");
        human.GetProperty("user").GetString().ShouldBe("Editor");
        human.GetProperty("revision").GetInt64().ShouldBe(41);
        human.GetProperty("action").GetString().ShouldBe("held");
        human.GetProperty("title").GetString().ShouldBe("Nova Resource:bots");
        human.GetProperty("job").GetString().ShouldBe("instances");
    }

    [Fact]
    public void Unknown_values_are_null_and_the_anti_forgery_token_is_not_there()
    {
        var model = Model() with
        {
            Shutoff = new ShutoffState("User:Bot/Shutoff", ShutoffStatus.Unknown, null, null),
            Sal = SalBacklog.None,
            RecentEdits = [new RecentEdit(Now, "instances", "P", 0, PageAction.Created, [])],
        };

        var text = StatusJson.Render(model);

        using var json = JsonDocument.Parse(text);
        json.RootElement.GetProperty("emergency_stop").GetProperty("status").GetString().ShouldBe("unknown");
        json.RootElement.GetProperty("emergency_stop").GetProperty("checked").ValueKind.ShouldBe(JsonValueKind.Null);
        json.RootElement.GetProperty("emergency_stop").GetProperty("detail").ValueKind.ShouldBe(JsonValueKind.Null);
        json.RootElement.GetProperty("sal").GetProperty("oldest").ValueKind.ShouldBe(JsonValueKind.Null);
        json.RootElement.GetProperty("recent_edits")[0].GetProperty("revision").ValueKind.ShouldBe(JsonValueKind.Null);
        text.ShouldNotContain("csrf-token-value");
    }
}
