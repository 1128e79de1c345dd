namespace WikiSync.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Inventory_finds_projects_case_insensitively()
    {
        var inventory = new Model.Inventory([new Model.Project("bots", "", [], [])]);
        inventory.Find("BOTS").ShouldNotBeNull();
    }
}
