using System.Text;
using System.Text.Json;
using WikiSync.Notifications;

namespace WikiSync.Tests.Notifications;

/// <summary>The message parser on the bodies the local cloud's Nova and Keystone sent (Samples/README.md).</summary>
public sealed class NotificationTests
{
    private const string BotsId = "a80600d6ab904b7b9a9e547bffcef0ad";

    private static byte[] Sample(string file) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Notifications", "Samples", file));

    /// <summary>A decoded message in the oslo envelope, as oslo.messaging's rabbit driver sends it.</summary>
    private static byte[] Enveloped(byte[] message) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["oslo.version"] = "2.0", ["oslo.message"] = Encoding.UTF8.GetString(message) });

    [Theory]
    [InlineData("notification-instance.create.end.json", "instance.create.end")]
    [InlineData("notification-instance.delete.end.json", "instance.delete.end")]
    public void A_server_event_in_the_oslo_envelope_asks_for_its_projects_instances_with_novas_timestamp(string file, string eventType)
    {
        var message = Notification.Parse(Enveloped(Sample(file)));

        message.Kind.ShouldBe(NotificationKind.Instances);
        message.EventType.ShouldBe(eventType);
        message.ProjectId.ShouldBe(BotsId);
        message.Timestamp.ShouldNotBeNull().Offset.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void A_decoded_message_without_the_envelope_reads_the_same()
    {
        var message = Notification.Parse(Sample("notification-instance.create.end.json"));

        message.ShouldBe(new Notification(NotificationKind.Instances, "instance.create.end", BotsId, new DateTimeOffset(2026, 12, 2, 15, 54, 31, 684, TimeSpan.Zero).AddTicks(3430)));
    }

    [Theory]
    [InlineData("keystone-identity.project.created.json", NotificationKind.ProjectChanged)]
    [InlineData("keystone-identity.project.updated.json", NotificationKind.ProjectChanged)]
    [InlineData("keystone-identity.project.deleted.json", NotificationKind.ProjectDeleted)]
    public void A_keystone_project_event_names_the_project_by_its_resource_info(string file, NotificationKind kind)
    {
        var message = Notification.Parse(Sample(file));

        message.Kind.ShouldBe(kind);
        message.ProjectId.ShouldBe("cd23f9b089d3440489969ff4d6ce0ff0");
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[1, 2]")]
    [InlineData("{\"oslo.version\": \"2.0\", \"oslo.message\": \"{broken\"}")]
    [InlineData("{\"oslo.version\": \"2.0\", \"oslo.message\": 42}")]
    [InlineData("{\"payload\": {}}")]
    public void A_body_that_is_not_a_notification_is_malformed_with_a_reason(string body)
    {
        var message = Notification.Parse(Encoding.UTF8.GetBytes(body));

        message.Kind.ShouldBe(NotificationKind.Malformed);
        message.EventType.ShouldBe(Notification.NoEventType);
        message.Problem.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void A_server_event_without_its_tenant_is_malformed_and_keeps_its_event_type()
    {
        var message = Notification.Parse(Encoding.UTF8.GetBytes("""{"event_type": "instance.create.end", "payload": {"nova_object.data": {}}}"""));

        message.Kind.ShouldBe(NotificationKind.Malformed);
        message.EventType.ShouldBe("instance.create.end");
        message.Problem.ShouldBe("no payload.nova_object.data.tenant_id");
    }

    [Theory]
    [InlineData("instance.create.start", NotificationKind.Ignored)]
    [InlineData("instance.exists", NotificationKind.Ignored)]
    [InlineData("identity.authenticate", NotificationKind.Ignored)]
    [InlineData("scheduler.select_destinations.end", NotificationKind.Ignored)]
    [InlineData("made.up.event", NotificationKind.Unknown)]
    [InlineData("instance.power_off.end", NotificationKind.Instances)]
    [InlineData("instance.update", NotificationKind.Instances)]
    [InlineData("instance.resize_confirm.end", NotificationKind.Instances)]
    public void Only_events_that_change_what_a_page_shows_ask_for_a_refresh(string eventType, NotificationKind kind)
    {
        var body = $$$$"""{"event_type": "{{{{eventType}}}}", "payload": {"nova_object.data": {"tenant_id": "{{{{BotsId}}}}"}}}""";

        Notification.Parse(Encoding.UTF8.GetBytes(body)).Kind.ShouldBe(kind);
    }
}
