namespace WikiSync.IntegrationTests.Support;

/// <summary>The real cloud for the tests: started once per test run, what the tests booted deleted at the end.</summary>
public sealed class OpenStackFixture : OpenStackCloud, IAsyncLifetime
{
    public Task InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

[CollectionDefinition(Name)]
public sealed class OpenStackCollection : ICollectionFixture<OpenStackFixture>, ICollectionFixture<LocalWikiFixture>
{
    public const string Name = "openstack";
}
