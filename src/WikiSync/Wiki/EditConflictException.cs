namespace WikiSync.Wiki;

/// <summary>Someone saved the page between our read and our write; read again and splice again.</summary>
public sealed class EditConflictException : WikiApiException
{
    public EditConflictException(string title)
        : base("editconflict", $"Edit conflict on \"{title}\": someone saved it after WikiSync read it.") => Title = title;

    public EditConflictException() : this("") { }

    public EditConflictException(string message, Exception inner) : base("editconflict", message, inner) => Title = "";

    public string Title { get; }
}
