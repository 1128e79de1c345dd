namespace WikiSync.IntegrationTests.Support;

/// <summary>The store choice for every `wikisync` process an integration test starts.</summary>
public static partial class WikiSyncProcess
{
    static partial void ChooseStore(ref IReadOnlyDictionary<string, string> environment) =>
        environment = TestStore.Apply(environment);
}
