using WikiSync.Model;

namespace WikiSync.Tests.Model;

public sealed class InventoryTests
{
    [Fact]
    public void A_project_is_found_whatever_the_case_of_its_name()
    {
        var inventory = new Inventory([new Project("bots", "", [], [])]);
        inventory.Find("BOTS").ShouldNotBeNull();
    }
}
