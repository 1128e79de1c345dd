namespace WikiSync.Cli.Commands;

/// <summary>The CLI's exit codes (issue 2 §6), the same for every verb.</summary>
internal static class ExitCodes
{
    /// <summary>Every page is fine (created, updated, unchanged or skipped with a reason).</summary>
    public const int Ok = 0;

    /// <summary>Some page or job failed (the others were still done), or the wiki refused the login.</summary>
    public const int Failed = 1;

    /// <summary>Bad configuration or usage: nothing was attempted.</summary>
    public const int BadConfiguration = 2;
}
