using System.Collections.Concurrent;
using WikiSync.Sync;

namespace WikiSync.Testing;

/// <summary>A sync runner that records what it was asked and answers with a fixed report.</summary>
public sealed class RecordingSyncRunner : ISyncRunner
{
    public ConcurrentQueue<SyncRequest> Requests { get; } = new();

    public Func<SyncRequest, CancellationToken, Task<SyncReport>> Answer { get; set; } =
        (_, _) => Task.FromResult(new SyncReport([], []));

    public async Task<SyncReport> RunAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        return await Answer(request, cancellationToken);
    }
}
