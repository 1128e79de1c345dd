using WikiSync.Sync;

namespace WikiSync.Tests.Support;

/// <summary>Every metrics call as a line ("edit JOB", "conflict", "error CODE", ...), in order.</summary>
public sealed class RecordingMetrics : IWikiSyncMetrics
{
    public List<string> Calls { get; } = [];

    public void EditMade(string job) => Calls.Add("edit " + job);

    public void PageUnchanged(string job) => Calls.Add("unchanged " + job);

    public void ConflictRetried() => Calls.Add("conflict");

    public void HumanEditReplaced(string job) => Calls.Add("human edit replaced " + job);

    public void Error(string code) => Calls.Add("error " + code);

    public void Retry(string reason) => Calls.Add("retry " + reason);

    public void JobSucceeded(string job, DateTimeOffset at) => Calls.Add("success " + job);

    public void Notification(string eventType, string result) => Calls.Add($"notification {eventType} {result}");
}
