using System.CommandLine;

namespace WikiSync.Cli.Commands;

/// <summary><c>wikisync sal …</c>: the Server Admin Log's own verbs.</summary>
internal static class SalCommand
{
    public static Command Create() => new("sal", "Manage the Server Admin Log.")
    {
        SalImportCommand.Create(),
        SalListCommand.Create(),
        SalEntryCommand.Retry(),
        SalEntryCommand.Hide(),
    };
}
