namespace WikiSync.Sources;

/// <summary>A source could not be read; the message says which and why, without secrets.</summary>
public sealed class SourceException : Exception
{
    public SourceException(string message) : base(message) { }

    public SourceException(string message, Exception inner) : base(message, inner) { }

    public SourceException() { }
}
