using System.CommandLine;
using WikiSync.Cli.Commands;

// A table of contents: each verb lives in Commands/, one file a verb.
var root = new RootCommand("WikiSync keeps generated sections of MediaWiki pages current.");
root.Subcommands.Add(SyncCommand.Create());
root.Subcommands.Add(StoreCommand.Create());

return await root.Parse(args).InvokeAsync();
