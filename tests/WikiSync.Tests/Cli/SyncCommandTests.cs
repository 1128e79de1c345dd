using WikiSync.Cli.Commands;
using WikiSync.Configuration;
using WikiSync.Sources;
using WikiSync.Sources.OpenStack;

namespace WikiSync.Tests.Cli;

public sealed class SyncCommandTests
{
    [Fact]
    public void Keystone_members_without_an_openstack_section_are_named_before_anything_connects()
    {
        var settings = new WikiSyncSettings { Sources = new SourcesOptions { Members = SourcesOptions.Keystone } };

        SyncCommand.SourceProblems(settings).ShouldContain(p => p.Contains("selects openstack or keystone but there is no openstack: section", StringComparison.Ordinal));
    }

    [Fact]
    public void Keystone_projects_with_an_unscoped_password_login_name_both_keys_that_would_scope_it()
    {
        var settings = new WikiSyncSettings
        {
            Sources = new SourcesOptions { Projects = SourcesOptions.Keystone },
            OpenStack = new OpenStackOptions { AuthUrl = "http://127.0.0.1:35357/v3", UserName = "wikisync", Password = "pw" },
        };

        var problem = SyncCommand.SourceProblems(settings).ShouldHaveSingleItem();

        problem.ShouldContain("openstack.keystone_domain");
        problem.ShouldContain("openstack.project_name");
    }
}
