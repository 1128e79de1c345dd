using WikiSync.Sources.OpenStack;
using WikiSync.Configuration;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.Configuration;

public sealed class SettingsLoaderTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Environment_overrides_the_file()
    {
        using var dir = new TempFolder();
        var file = dir.Write("c.yaml", "wiki:\n  api: http://file/api.php\n  user: Bot@file\ninventory: inv.yaml\n");

        var settings = SettingsLoader.Load(file, Env(("WIKISYNC_WIKI_API", "http://env/api.php"), ("WIKISYNC_WIKI_PASSWORD", "s3cret")), dir.Path);

        settings.Wiki.Api.ShouldBe("http://env/api.php");
        settings.Wiki.User.ShouldBe("Bot@file");
        settings.Wiki.Password.ShouldBe("s3cret");
        settings.Inventory.ShouldBe(Path.Combine(dir.Path, "inv.yaml"));
    }

    [Fact]
    public void Notifications_come_from_the_file_or_the_environment_with_the_queue_and_timings_defaulted_and_the_password_never_printed()
    {
        using var dir = new TempFolder();
        var file = dir.Write("c.yaml", "openstack:\n  notifications:\n    url: amqp://wikisync:s3cret@rabbit:5672/\n    debounce_ms: 500\n");

        var fromFile = SettingsLoader.Load(file, Env(), dir.Path).OpenStack!.Notifications;
        var fromEnv = SettingsLoader.Load(null, Env(("WIKISYNC_OPENSTACK_NOTIFICATIONS_URL", "amqps://rabbit/"), ("WIKISYNC_OPENSTACK_NOTIFICATIONS_QUEUE", "wikisync-prod"),
            ("WIKISYNC_OPENSTACK_NOTIFICATIONS_MAX_DELAY_MS", "5000")), dir.Path).OpenStack!.Notifications;

        fromFile.ShouldBe(new NotificationsOptions { Url = "amqp://wikisync:s3cret@rabbit:5672/", DebounceMs = 500 });
        fromFile.Queue.ShouldBe("wikisync");
        fromFile.MaxDelayMs.ShouldBe(2000);
        fromFile.ToString().ShouldNotContain("s3cret");
        fromFile.Validate().ShouldBeEmpty();
        fromEnv.ShouldBe(new NotificationsOptions { Url = "amqps://rabbit/", Queue = "wikisync-prod", MaxDelayMs = 5000 });
        SettingsLoader.Load(null, Env(), dir.Path).OpenStack.ShouldBeNull();
    }

    [Fact]
    public void A_notifications_url_that_is_not_amqp_is_named_with_its_key()
    {
        var options = new NotificationsOptions { Url = "http://user:pw@rabbit:15672/", DebounceMs = 3000 };

        options.Validate().ShouldBe([
            "openstack.notifications.url \"http://***@rabbit:15672/\" is not an amqp:// or amqps:// URL",
            "openstack.notifications.max_delay_ms must be at least debounce_ms",
        ]);
        Should.Throw<ConfigurationException>(() => SettingsLoader.Load(null, Env(("WIKISYNC_OPENSTACK_NOTIFICATIONS_DEBOUNCE_MS", "fast")), Path.GetTempPath()))
            .Message.ShouldContain("WIKISYNC_OPENSTACK_NOTIFICATIONS_DEBOUNCE_MS");
    }

    [Fact]
    public void Wiki_timeout_comes_from_the_file_or_the_environment_and_defaults_to_a_minute()
    {
        using var dir = new TempFolder();
        var file = dir.Write("c.yaml", "wiki:\n  timeout: 15\n");

        SettingsLoader.Load(null, Env(), dir.Path).Wiki.Timeout.ShouldBe(60);
        SettingsLoader.Load(file, Env(), dir.Path).Wiki.Timeout.ShouldBe(15);
        SettingsLoader.Load(file, Env(("WIKISYNC_WIKI_TIMEOUT", "2")), dir.Path).Wiki.Timeout.ShouldBe(2);
        Should.Throw<ConfigurationException>(() => SettingsLoader.Load(null, Env(("WIKISYNC_WIKI_TIMEOUT", "soon")), dir.Path))
            .Message.ShouldContain("WIKISYNC_WIKI_TIMEOUT");
    }

    [Fact]
    public void Pass_timeout_is_seconds_or_a_duration_from_the_file_or_the_environment_and_defaults_to_ten_minutes()
    {
        using var dir = new TempFolder();
        var seconds = dir.Write("s.yaml", "pass_timeout: 90\n");
        var duration = dir.Write("d.yaml", "pass_timeout: 1h30m\n");

        SettingsLoader.Load(null, Env(), dir.Path).PassTimeout.ShouldBe(TimeSpan.FromMinutes(10));
        SettingsLoader.Load(seconds, Env(), dir.Path).PassTimeout.ShouldBe(TimeSpan.FromSeconds(90));
        SettingsLoader.Load(duration, Env(), dir.Path).PassTimeout.ShouldBe(TimeSpan.FromMinutes(90));
        SettingsLoader.Load(duration, Env(("WIKISYNC_PASS_TIMEOUT", "5m")), dir.Path).PassTimeout.ShouldBe(TimeSpan.FromMinutes(5));
        SettingsLoader.Load(null, Env(("WIKISYNC_PASS_TIMEOUT", "120")), dir.Path).PassTimeout.ShouldBe(TimeSpan.FromMinutes(2));
        Should.Throw<ConfigurationException>(() => SettingsLoader.Load(null, Env(("WIKISYNC_PASS_TIMEOUT", "soon")), dir.Path))
            .Message.ShouldContain("WIKISYNC_PASS_TIMEOUT");
    }

    [Fact]
    public void A_bad_pass_timeout_in_the_file_names_file_line_and_column()
    {
        using var dir = new TempFolder();
        var file = dir.Write("c.yaml", "data: x\npass_timeout: ten minutes\n");

        var e = Should.Throw<ConfigurationException>(() => SettingsLoader.Load(file, Env(), dir.Path));

        e.Message.ShouldStartWith($"{file}:2:15: ");
        e.Message.ShouldContain("not a pass timeout");
    }

    [Fact]
    public void Unknown_key_names_file_and_line()
    {
        using var dir = new TempFolder();
        var file = dir.Write("c.yaml", "wiki:\n  api: x\n  pasword: y\n");

        var e = Should.Throw<ConfigurationException>(() => SettingsLoader.Load(file, Env(), dir.Path));

        e.Message.ShouldStartWith($"{file}:3:");
        e.Message.ShouldContain("pasword");
    }

    [Fact]
    public void Wrong_type_names_file_and_line()
    {
        using var dir = new TempFolder();
        var file = dir.Write("c.yaml", "http:\n  port: eighty\n");

        var e = Should.Throw<ConfigurationException>(() => SettingsLoader.Load(file, Env(), dir.Path));

        e.Message.ShouldStartWith($"{file}:2:");
    }

    [Fact]
    public void Data_defaults_to_state_under_the_current_directory()
    {
        using var dir = new TempFolder();

        var settings = SettingsLoader.Load(null, Env(), dir.Path);

        settings.Data.ShouldBe(Path.Combine(dir.Path, ".state"));
    }

    [Fact]
    public void Password_never_appears_in_ToString()
    {
        using var dir = new TempFolder();
        var settings = SettingsLoader.Load(null, Env(("WIKISYNC_WIKI_PASSWORD", "hunter2hunter2"), ("WIKISYNC_WIKI_USER", "Bot@app"),
            ("WIKISYNC_STORE", "Host=db;Password=pgsecret99"), ("WIKISYNC_HTTP_TOKEN", "tok3n-xyz")), dir.Path);

        settings.ToString().ShouldNotContain("hunter2hunter2");
        settings.ToString().ShouldNotContain("pgsecret99");
        settings.ToString().ShouldNotContain("tok3n-xyz");
        settings.Wiki.ToString().ShouldNotContain("hunter2hunter2");
    }

    [Fact]
    public void Shutoff_page_defaults_to_the_bot_users_subpage()
    {
        using var dir = new TempFolder();
        var settings = SettingsLoader.Load(null, Env(("WIKISYNC_WIKI_USER", "SyncBot@wikisync")), dir.Path);

        settings.EffectiveShutoffPage.ShouldBe("User:SyncBot/Shutoff");
    }

    [Fact]
    public void Jobs_default_to_the_repository_folder()
    {
        using var dir = new TempFolder();
        var settings = SettingsLoader.Load(null, Env(), dir.Path);

        // The test binary lives inside the checkout, so the walk up finds the repository's jobs/.
        settings.Jobs.ShouldNotBeNull();
        settings.Jobs.ShouldEndWith("jobs");
    }

    [Fact]
    public void Sources_sections_come_from_the_file_and_the_environment()
    {
        using var dir = new TempFolder();
        var file = dir.Write("c.yaml", "sources:\n  instances: openstack\nopenstack:\n  auth_url: https://keystone.example/v3\n  region: eqiad\n");

        var settings = SettingsLoader.Load(file, Env(("WIKISYNC_OPENSTACK_PASSWORD", "os-secret-123"), ("WIKISYNC_LDAP_URL", "ldap://127.0.0.1:13389")), dir.Path);

        settings.Sources.Instances.ShouldBe("openstack");
        settings.OpenStack!.AuthUrl.ShouldBe("https://keystone.example/v3");
        settings.OpenStack.Region.ShouldBe("eqiad");
        settings.OpenStack.Password.ShouldBe("os-secret-123");
        settings.Ldap!.Url.ShouldBe("ldap://127.0.0.1:13389");
        settings.ToString().ShouldNotContain("os-secret-123");
    }

    [Fact]
    public void A_deployment_with_everything_from_keystone_and_nova_is_set_by_the_environment_alone()
    {
        using var dir = new TempFolder();

        var settings = SettingsLoader.Load(null, Env(
            ("WIKISYNC_SOURCES_PROJECTS", "keystone"), ("WIKISYNC_SOURCES_MEMBERS", "keystone"), ("WIKISYNC_SOURCES_INSTANCES", "openstack"),
            ("WIKISYNC_OPENSTACK_AUTH_URL", "http://127.0.0.1:35357/v3"), ("WIKISYNC_OPENSTACK_USER_NAME", "wikisync"),
            ("WIKISYNC_OPENSTACK_PASSWORD", "pw"), ("WIKISYNC_OPENSTACK_ALL_PROJECTS", "false"), ("WIKISYNC_OPENSTACK_PROJECTS", "bots, tools"),
            ("WIKISYNC_OPENSTACK_KEYSTONE_DOMAIN", "Default"), ("WIKISYNC_OPENSTACK_DISABLED_PROJECTS", "mark")), dir.Path);

        settings.Sources.CloudAspects.ShouldBe(WikiSync.Sources.OpenStack.CloudAspects.Instances | WikiSync.Sources.OpenStack.CloudAspects.Projects | WikiSync.Sources.OpenStack.CloudAspects.Members);
        settings.Sources.Validate().ShouldBeEmpty();
        var openStack = settings.OpenStack.ShouldNotBeNull();
        openStack.Projects.ShouldBe(["bots", "tools"]);
        openStack.KeystoneDomain.ShouldBe("Default");
        openStack.DisabledProjects.ShouldBe("mark");
        openStack.Validate(settings.Sources.CloudAspects).ShouldBeEmpty();
    }

    [Fact]
    public void A_disabled_projects_value_that_is_neither_skip_nor_mark_names_the_key()
    {
        using var dir = new TempFolder();
        var file = dir.Write("c.yaml", "sources: { projects: keystone }\nopenstack:\n  auth_url: http://k/v3\n  user_name: u\n  password: p\n  keystone_domain: Default\n  disabled_projects: hide\n");

        var settings = SettingsLoader.Load(file, Env(), dir.Path);

        settings.OpenStack!.Validate(settings.Sources.CloudAspects).ShouldBe(["openstack.disabled_projects \"hide\" must be skip or mark"]);
    }

    [Fact]
    public void Unknown_key_in_a_source_section_names_file_and_line()
    {
        using var dir = new TempFolder();
        var file = dir.Write("c.yaml", "ldap:\n  url: ldap://x\n  bind_passwd: y\n");

        Should.Throw<ConfigurationException>(() => SettingsLoader.Load(file, Env(), dir.Path)).Message.ShouldStartWith($"{file}:3:");
    }
}
