namespace WikiSync.Configuration;

/// <summary>
/// Bad configuration: a file, key or value WikiSync cannot use. The message names the file and line
/// (<c>file:line:column: problem</c>) and never holds a secret. The CLI exits 2 on it.
/// </summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message) : base(message) => Problems = [message];

    public ConfigurationException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems)) => Problems = problems;

    public ConfigurationException(string message, Exception inner) : base(message, inner) => Problems = [message];

    public ConfigurationException() : this("The configuration is not valid.") { }

    /// <summary>Every problem found, one a line, each naming its file and line.</summary>
    public IReadOnlyList<string> Problems { get; }
}
