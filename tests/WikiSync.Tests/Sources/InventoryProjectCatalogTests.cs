using Microsoft.Extensions.Time.Testing;
using WikiSync.Model;
using WikiSync.Sources;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.Sources;

public sealed class InventoryProjectCatalogTests
{
    private sealed class CountingSource : IInventorySource
    {
        public int Calls { get; private set; }

        public bool Fail { get; set; }

        public string Describe() => "test";

        public Task<Inventory> CollectAsync(CancellationToken cancellationToken)
        {
            Calls++;
            return Fail ? throw new SourceException("directory down") : Task.FromResult(SalTestData.Inventory);
        }
    }

    [Fact]
    public async Task Inventory_is_collected_once_per_ttl_not_once_per_line()
    {
        var source = new CountingSource();
        var time = new FakeTimeProvider();
        var catalog = new InventoryProjectCatalog(source, time, TimeSpan.FromMinutes(1));

        (await catalog.FindAsync("TOOLS", CancellationToken.None))!.Name.ShouldBe("tools");
        (await catalog.FindAsync("nosuch", CancellationToken.None)).ShouldBeNull();
        source.Calls.ShouldBe(1);
        time.Advance(TimeSpan.FromMinutes(2));
        await catalog.FindAsync("tools", CancellationToken.None);
        source.Calls.ShouldBe(2);
    }

    [Fact]
    public async Task A_failing_source_keeps_the_last_inventory_so_logging_goes_on()
    {
        var source = new CountingSource();
        var time = new FakeTimeProvider();
        var catalog = new InventoryProjectCatalog(source, time, TimeSpan.FromMinutes(1));
        await catalog.FindAsync("tools", CancellationToken.None);

        source.Fail = true;
        time.Advance(TimeSpan.FromMinutes(2));

        (await catalog.FindAsync("tools", CancellationToken.None)).ShouldNotBeNull();
    }

    [Fact]
    public async Task A_source_that_never_answered_is_an_error_not_an_unknown_project()
    {
        var catalog = new InventoryProjectCatalog(new CountingSource { Fail = true }, new FakeTimeProvider());
        await Should.ThrowAsync<SourceException>(() => catalog.FindAsync("tools", CancellationToken.None));
    }

    [Fact]
    public async Task The_status_page_names_and_log_lookups_share_one_collection_a_minute()
    {
        var source = new CountingSource();
        var time = new FakeTimeProvider();
        var catalog = new InventoryProjectCatalog(source, time);
        var names = new WikiSync.Hosting.InventoryProjectNames(catalog);

        await catalog.FindAsync("tools", CancellationToken.None);
        var listed = await names.ListAsync(CancellationToken.None);

        listed.ShouldBe([.. SalTestData.Inventory.Projects.Select(p => p.Name).Order(StringComparer.OrdinalIgnoreCase)]);
        source.Calls.ShouldBe(1);
        time.Advance(TimeSpan.FromMinutes(1));
        await names.ListAsync(CancellationToken.None);
        source.Calls.ShouldBe(2);
    }

    [Fact]
    public async Task A_cloud_id_is_found_in_the_same_collection_and_an_unknown_one_collects_again_at_most_every_ten_seconds()
    {
        var source = new CountingSource();
        var time = new FakeTimeProvider();
        var catalog = new InventoryProjectCatalog(source, time);

        await catalog.FindAsync("tools", CancellationToken.None);
        // The test inventory has no cloud ids: a source without ids may name a project by its id.
        (await catalog.FindByIdAsync("tools", CancellationToken.None))!.Name.ShouldBe("tools");
        source.Calls.ShouldBe(1);

        (await catalog.FindByIdAsync("0a1b2c", CancellationToken.None)).ShouldBeNull();
        source.Calls.ShouldBe(1);
        time.Advance(InventoryProjectCatalog.MissRetry);
        (await catalog.FindByIdAsync("0a1b2c", CancellationToken.None)).ShouldBeNull();
        (await catalog.FindByIdAsync("0a1b2c", CancellationToken.None)).ShouldBeNull();
        source.Calls.ShouldBe(2);
    }
}
