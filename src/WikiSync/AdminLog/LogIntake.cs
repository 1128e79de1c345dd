using Microsoft.Extensions.Logging;
using WikiSync.Model;
using WikiSync.Sources;
using WikiSync.Sync;

namespace WikiSync.AdminLog;

/// <summary>Told about each stored entry so it gets published at once; the SAL publisher implements it.</summary>
public interface ISalSignal
{
    void EntryStored(LogEntry entry);
}

/// <summary>An entry from the CLI or HTTP: already split into project and message, and trusted by its way in.</summary>
public sealed record LogSubmission(string Project, string Message, string Author, string Channel, string? IdempotencyKey = null);

public enum LogOutcome
{
    Logged,
    Help,
    UnknownProject,
    MessageMissing,
    Refused,

    /// <summary>Outside <see cref="LogEntryBounds"/>: too long, or not storable text.</summary>
    Invalid,

    /// <summary>The idempotency key was used before for another project or message.</summary>
    Conflict,
}

/// <summary>What became of a line or submission, with the reply to give the sender.</summary>
public sealed record LogResult(LogOutcome Outcome, string Reply, LogEntry? Entry = null, bool Repeated = false);

/// <summary>
/// The one way an entry gets in, from IRC, the CLI and HTTP alike: validate, commit to the store, and only
/// then signal the publisher. The reply never waits for the wiki.
/// </summary>
public sealed class LogIntake(
    LogEntryStore store,
    IProjectCatalog projects,
    ISalSignal signal,
    LogAccess access,
    SalPages pages,
    TimeProvider time,
    ILogger<LogIntake> log)
{
    public const string MessageMissing = "Message missing. Nothing logged.";

    /// <summary>
    /// Handles a chat line in a channel with <paramref name="policy"/>; null when the line is not a
    /// <c>!log</c> command (the bot then stays silent).
    /// </summary>
    public async Task<LogResult?> HandleChatAsync(ChannelPolicy policy, IrcUser sender, string line, CancellationToken cancellationToken, string? idempotencyKey = null)
    {
        var command = LogCommandParser.Parse(line, policy.Project);
        switch (command)
        {
            case null:
                return null;
            case LogCommand.Help help:
                return new LogResult(LogOutcome.Help, HelpLine(help.Project));
            case LogCommand.Log entry:
                var checkedProject = await CheckAsync(entry.Project, entry.Message, cancellationToken);
                if (checkedProject.Refusal is { } refusal)
                {
                    return refusal;
                }

                var project = checkedProject.Project!;
                if (!access.IsAllowed(policy, sender, project))
                {
                    log.LogInformation("Refused !log from {Sender} in {Channel} for {Project}", sender.Mask, policy.Channel, project.Name);
                    return new LogResult(LogOutcome.Refused, $"{sender.Nick}: you may not log to {project.Name} from {policy.Channel}. Nothing logged.");
                }

                return await StoreAsync(project, entry.Message, sender.Nick, policy.Channel, idempotencyKey, cancellationToken);
            default:
                throw new InvalidOperationException($"Unhandled log command {command.GetType().Name}.");
        }
    }

    /// <summary>An entry from the CLI or HTTP (trusted by their own checks): same validation, same store, same signal.</summary>
    public async Task<LogResult> SubmitAsync(LogSubmission submission, CancellationToken cancellationToken)
    {
        var checkedProject = await CheckAsync(submission.Project.Trim(), submission.Message.Trim(), cancellationToken);
        if (checkedProject.Refusal is { } refusal)
        {
            return refusal;
        }

        var author = string.IsNullOrWhiteSpace(submission.Author) ? "unknown" : submission.Author.Trim();
        return await StoreAsync(checkedProject.Project!, submission.Message.Trim(), author, submission.Channel, submission.IdempotencyKey, cancellationToken);
    }

    public string HelpLine(string? boundProject) => boundProject is null
        ? "Usage: !log <project> <message> (records it in the project's Server Admin Log)." + (pages.IndexUrl is { } index ? $" Projects and their logs: {index}" : "")
        : $"Usage: !log <message> (records it in the Server Admin Log of {boundProject})" + (pages.LogUrl(new Project(boundProject, "", [], [])) is { } url ? $": {url}" : ".");

    private async Task<(Project? Project, LogResult? Refusal)> CheckAsync(string projectName, string message, CancellationToken cancellationToken)
    {
        if (projectName.Length == 0)
        {
            return (null, new LogResult(LogOutcome.MessageMissing, MessageMissing));
        }

        var project = await projects.FindAsync(projectName, cancellationToken);
        if (project is null)
        {
            return (null, new LogResult(LogOutcome.UnknownProject, $"Unknown project \"{projectName}\""));
        }

        return message.Length == 0
            ? (null, new LogResult(LogOutcome.MessageMissing, MessageMissing))
            : (project, null);
    }

    private async Task<LogResult> StoreAsync(Project project, string message, string author, string channel, string? key, CancellationToken cancellationToken)
    {
        if (LogEntryBounds.Check(author, message) is { } invalid)
        {
            return new LogResult(LogOutcome.Invalid, invalid + " Nothing logged.");
        }

        var received = time.GetUtcNow();
        var (entry, added) = await store.AddAsync(
            new NewLogEntry(key ?? Guid.NewGuid().ToString("N"), project.Name, author, message, channel, received),
            cancellationToken);
        if (!added && (entry.Project != project.Name || entry.Message != message))
        {
            // A retry must repeat its entry; the same key for another entry is a caller's bug, not a repeat.
            return new LogResult(LogOutcome.Conflict, $"The idempotency key was already used for entry {entry.Id} with another project or message. Nothing logged.", entry);
        }

        if (added)
        {
            log.LogInformation("SAL entry {Id} stored for {Project} from {Author} in {Channel} at {ReceivedUtc:O}", entry.Id, entry.Project, entry.Author, entry.Channel, entry.ReceivedUtc);
        }

        // Signal even for a repeat: publishing is idempotent, and the first signal may have been lost with its process.
        signal.EntryStored(entry);
        var where = pages.LogUrl(project) is { } url ? $" at {url}" : "";
        return new LogResult(LogOutcome.Logged, $"Logged the message{where}, {author}", entry, Repeated: !added);
    }
}
