namespace WikiSync.Hosting;

/// <summary>Where <c>POST /log</c> hands an entry: the same path as <c>!log</c> on IRC.</summary>
public interface IHttpLogIntake
{
    Task<HttpLogResult> AcceptAsync(string project, string author, string message, CancellationToken cancellationToken);
}

/// <summary>Accepted (with the stored entry's id), or refused with the reason for the caller.</summary>
public sealed record HttpLogResult(bool Accepted, string Message, long? EntryId = null);
