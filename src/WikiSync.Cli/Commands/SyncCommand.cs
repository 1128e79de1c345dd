using System.CommandLine;

namespace WikiSync.Cli.Commands;

internal static class SyncCommand
{
    public static Command Create()
    {
        var command = new Command("sync", "One pass over the jobs: refresh every generated section.");
        command.SetAction(_ => 0);
        return command;
    }
}
