using WikiSync.Cli.Commands;
using WikiSync.Storage;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.Cli;

public sealed class StoreCommandTests
{
    [Fact]
    public async Task Store_migrate_applies_then_says_already_current()
    {
        using var db = new TempSalStore(); // migrated already: a second run must change nothing
        var output = new StringWriter();
        var error = new StringWriter();

        (await StoreCommand.MigrateAsync(db.Store, output, error, CancellationToken.None)).ShouldBe(0);

        output.ToString().ShouldContain($"schema already at version {Migrations.Latest}");
        output.ToString().ShouldContain("wikisync.db");
        error.ToString().ShouldBeEmpty();
    }
}
