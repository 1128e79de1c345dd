using System.CommandLine;
using WikiSync.Cli.Commands;

// A table of contents: each verb lives in Commands/, one file a verb.
var root = new RootCommand("WikiSync keeps generated sections of MediaWiki pages current.")
{
    SyncCommand.Create(),
    RenderCommand.Create(),
    CheckCommand.Create(),
    StoreCommand.Create(),
    LogCommand.Create(),
    SalCommand.Create(),
    RunCommand.Create(),
};

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // Usage errors exit 2 (System.CommandLine's own default is 1, which means "a page failed" here).
    foreach (var error in parse.Errors)
        Console.Error.WriteLine($"wikisync: {error.Message}");
    Console.Error.WriteLine("Try 'wikisync --help'.");
    return ExitCodes.BadConfiguration;
}

// `run` is a host: it handles SIGTERM / Ctrl-C itself and finishes the page in hand, which takes longer
// than System.CommandLine's two seconds before it ends the process.
var invocation = new InvocationConfiguration();
if (parse.CommandResult.Command.Name == "run")
    invocation.ProcessTerminationTimeout = null;
return await parse.InvokeAsync(invocation);
