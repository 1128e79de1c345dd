namespace WikiSync.Wiki;

/// <summary>
/// The wiki refused a request. <see cref="Code"/> is the API error code (e.g. "protectedpage");
/// the message is written for the operator and never holds a secret.
/// </summary>
public class WikiApiException : Exception
{
    public WikiApiException(string code, string message) : base(message) => Code = code;

    public WikiApiException(string code, string message, Exception inner) : base(message, inner) => Code = code;

    public WikiApiException() : this("unknown", "The wiki refused the request.") { }

    public WikiApiException(string message) : this("unknown", message) { }

    public WikiApiException(string message, Exception inner) : this("unknown", message, inner) { }

    public string Code { get; }

    /// <summary>Whether waiting and trying again can help (maxlag, ratelimited, readonly, 5xx, timeouts).</summary>
    public virtual bool IsTransient => false;
}
