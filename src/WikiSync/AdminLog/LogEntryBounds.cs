namespace WikiSync.AdminLog;

/// <summary>
/// What an entry may hold, whichever way it comes in (IRC, CLI, HTTP, import): the one owner of the rule.
/// The limits keep every page and every engine able to take the entry (PostgreSQL refuses a NUL in text,
/// and UTF-8 cannot carry an unpaired surrogate), and keep one entry from filling a log page.
/// </summary>
public static class LogEntryBounds
{
    public const int MaxMessageLength = 1000;

    public const int MaxAuthorLength = 200;

    /// <summary>Null when the entry may be stored; otherwise the reason, naming the field.</summary>
    public static string? Check(string author, string message)
    {
        ArgumentNullException.ThrowIfNull(author);
        ArgumentNullException.ThrowIfNull(message);
        if (message.Length > MaxMessageLength)
            return $"The message is {message.Length} characters long; at most {MaxMessageLength} are kept.";
        if (author.Length > MaxAuthorLength)
            return $"The author is {author.Length} characters long; at most {MaxAuthorLength} are allowed.";
        return Unstorable("message", message) ?? Unstorable("author", author);
    }

    public const int MaxKeyLength = 100;

    /// <summary>Null when a caller's idempotency key may be stored (the column holds 200, prefixes included).</summary>
    public static string? CheckKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length > MaxKeyLength)
            return $"The id is {key.Length} characters long; at most {MaxKeyLength} are allowed.";
        return key.Any(char.IsControl) ? "The id holds a control character." : Unstorable("id", key);
    }

    private static string? Unstorable(string field, string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
                return $"The {field} holds a NUL character (at {i + 1}).";
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
                return $"The {field} holds an unpaired surrogate (U+{(int)c:X4} at {i + 1}), which is not text.";
        }

        return null;
    }
}
