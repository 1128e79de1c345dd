namespace WikiSync.Sync;

/// <summary>
/// A change inside a generated section made by someone other than WikiSync (who, in which revision), and
/// what the pass did: regenerated the section over it, or left it as the person wrote it.
/// </summary>
public sealed record HumanEdit(string Section, string Job, string User, long Revision, HumanEditAction Action)
{
    /// <summary>
    /// False for a section found held again (still as the person wrote it, its data unchanged): the journal
    /// and the counter note an edit once, the sync output says it every pass.
    /// </summary>
    public bool New { get; init; } = true;

    /// <summary>"replaced an edit by USER in rREV inside section NAME" or "section NAME edited by USER in rREV".</summary>
    public string Describe() => Action == HumanEditAction.Replaced
        ? $"replaced an edit by {User} in r{Revision} inside section {Section}"
        : $"section {Section} edited by {User} in r{Revision}";
}

public enum HumanEditAction
{
    Replaced,
    Held,
}
