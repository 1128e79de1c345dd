namespace WikiSync.Wiki;

/// <summary>
/// One edit. <paramref name="Basis"/> is the page as it was read; a missing page is created with
/// createonly, an existing one edited with nocreate, so a delete or create in between is a refusal.
/// </summary>
public sealed record EditRequest(
    string Title,
    string Text,
    string Summary,
    WikiPage Basis,
    bool Minor = true,
    bool Bot = true);
