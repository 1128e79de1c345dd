namespace WikiSync.AdminLog;

/// <summary>What a chat line asked for.</summary>
public abstract record LogCommand
{
    private LogCommand() { }

    /// <summary><c>!log help</c>.</summary>
    public sealed record Help(string? Project) : LogCommand;

    /// <summary><c>!log PROJECT MESSAGE</c> (or <c>!log MESSAGE</c> in a channel bound to a project); either part may be empty.</summary>
    public sealed record Log(string Project, string Message) : LogCommand;
}

/// <summary>
/// Reads <c>!log &lt;project&gt; &lt;message&gt;</c> from a chat line. It knows the syntax only; whether the
/// project exists and who may log is decided by <see cref="LogIntake"/>.
/// </summary>
public static class LogCommandParser
{
    private const string Trigger = "!log";

    /// <summary>
    /// The command in <paramref name="line"/>, or null when the line is not a <c>!log</c> command.
    /// In a channel bound to <paramref name="boundProject"/> the project may be left out; a first word equal
    /// to the bound project is taken as the project, so both spellings work there.
    /// </summary>
    public static LogCommand? Parse(string line, string? boundProject = null)
    {
        var text = line.Trim();
        if (!text.StartsWith(Trigger, StringComparison.OrdinalIgnoreCase)
            || (text.Length > Trigger.Length && !char.IsWhiteSpace(text[Trigger.Length])))
        {
            return null;
        }

        var rest = text[Trigger.Length..].Trim();
        var (first, remainder) = SplitFirstWord(rest);
        if (string.Equals(first, "help", StringComparison.OrdinalIgnoreCase) && remainder.Length == 0)
        {
            return new LogCommand.Help(boundProject);
        }

        if (boundProject is not null)
        {
            return string.Equals(first, boundProject, StringComparison.OrdinalIgnoreCase)
                ? new LogCommand.Log(boundProject, remainder)
                : new LogCommand.Log(boundProject, rest);
        }

        return new LogCommand.Log(first, remainder);
    }

    private static (string First, string Remainder) SplitFirstWord(string text)
    {
        var end = 0;
        while (end < text.Length && !char.IsWhiteSpace(text[end]))
        {
            end++;
        }

        return (text[..end], text[end..].Trim());
    }
}
