using Microsoft.Extensions.DependencyInjection;
using WikiSync.AdminLog;
using WikiSync.Composition;
using WikiSync.Configuration;
using WikiSync.Sources;
using WikiSync.Sync;
using WikiSync.Tests.Support;
using WikiSync.Wiki;

namespace WikiSync.Tests.Composition;

public sealed class CompositionOwnersTests
{
    [Fact]
    public void The_sal_entry_store_is_registered_once_for_the_sync_and_the_sal()
    {
        using var dir = new TempFolder();
        var settings = new WikiSyncSettings { Data = dir.Path };

        var services = new ServiceCollection().AddWikiSync(settings)
            .AddServerAdminLog(new ServerAdminLogOptions { WikiIndexUrl = "http://wiki.test/index.php" });

        services.Count(d => d.ServiceType == typeof(LogEntryStore)).ShouldBe(1);
        services.Count(d => d.ServiceType == typeof(ILogEntryReader)).ShouldBe(1);
    }

    [Fact]
    public void OpenStack_is_sent_the_same_user_agent_as_the_wiki()
    {
        using var dir = new TempFolder();
        // A contact with characters a header comment cannot carry as they are.
        const string contact = "ops) team (pager";
        dir.Write("inventory.yaml", "projects: []\n");
        var file = dir.Write("c.yaml", "inventory: inventory.yaml\nsources:\n  instances: openstack\nopenstack:\n  auth_url: https://keystone.example/v3\n  user_name: wikisync\n  project_name: admin\n");
        var settings = SettingsLoader.Load(file, name => name switch
        {
            "WIKISYNC_OPENSTACK_PASSWORD" => "os-secret-123",
            "WIKISYNC_CONTACT" => contact,
            _ => null,
        }, dir.Path) with { Data = dir.Path };

        using var provider = new ServiceCollection().AddWikiSync(settings).BuildServiceProvider();
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(SourcesRegistration.OpenStackHttpClient);

        client.DefaultRequestHeaders.UserAgent.ToString().ShouldBe(WikiSite.UserAgentFor(contact));
    }
}
