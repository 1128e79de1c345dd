using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace WikiSync.Wiki;

// Retries and backoff run on Polly's retry strategy; what is worth a retry is the client's own answer
// (WikiApiException.IsTransient: maxlag, ratelimited, readonly, HTTP 5xx and 429, timeouts, dropped
// connections), and how long to wait honours the wiki's Retry-After. Waits go through the TimeProvider.
public sealed partial class WikiSite
{
    private static readonly ResiliencePropertyKey<string> RetriedAction = new("wikisync.action");

    private ResiliencePipeline BuildRetries()
    {
        if (_options.MaxRetries == 0)
            return ResiliencePipeline.Empty;
        return new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is WikiApiException { IsTransient: true }),
                MaxRetryAttempts = _options.MaxRetries,
                UseJitter = false,
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(RetryDelay((WikiApiException)args.Outcome.Exception!, args.AttemptNumber + 1)),
                OnRetry = args =>
                {
                    var reason = (WikiApiException)args.Outcome.Exception!;
                    _log.LogWarning(
                        "Wiki request {Action} failed ({Code}); try {Attempt} of {MaxRetries} again in {DelaySeconds} s",
                        args.Context.Properties.GetValue(RetriedAction, "?"), reason.Code, args.AttemptNumber + 1, _options.MaxRetries, args.RetryDelay.TotalSeconds);
                    _options.OnRetry?.Invoke(reason.Code);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>Doubling from the base delay; never sooner than the server asked, never longer than the configured bound.</summary>
    private TimeSpan RetryDelay(WikiApiException reason, int attempt)
    {
        var backoff = _options.RetryBaseDelay * Math.Pow(2, attempt - 1);
        var delay = reason.RetryAfter is { } asked && asked > backoff ? asked : backoff;
        return delay > _options.MaxRetryDelay ? _options.MaxRetryDelay : delay;
    }

    private async Task<JsonElement> CallAsync(
        IReadOnlyList<KeyValuePair<string, string>> parameters, CallKind kind, string? title, CancellationToken cancellationToken, CallTrace? trace = null)
    {
        var call = new PendingCall(parameters, kind, title, parameters.FirstOrDefault(p => p.Key == "action").Value ?? "?", trace ?? new CallTrace());
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RetriedAction, call.Action);
        try
        {
            return await _retries.ExecuteAsync(static (context, state) => state.Site.TryOnceAsync(state.Call, context.CancellationToken), context, (Site: this, Call: call));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
