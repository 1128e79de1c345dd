using WikiSync.AdminLog;
using WikiSync.Configuration;

namespace WikiSync.Tests.AdminLog;

public sealed class ServerAdminLogSettingsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wikisync-salsettings-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private WikiSyncSettings Load(string yaml, Dictionary<string, string>? env = null)
    {
        var file = Path.Combine(_folder, "wikisync.yaml");
        File.WriteAllText(file, yaml);
        return SettingsLoader.Load(file, name => env?.GetValueOrDefault(name), _folder);
    }

    [Fact]
    public void Channel_rules_and_nicks_come_from_the_yaml_and_the_server_from_the_environment()
    {
        var settings = Load("""
            wiki:
              api: https://wiki.example.org/w/api.php
            irc:
              tls: true
              channels: ["#ops"]
              rules:
                - channel: "#tools"
                  project: tools
                - channel: "#ops"
                  who: members
                  deny: ["*!*@spam.example"]
              nicks:
                al|work: alice
            """, new() { ["WIKISYNC_IRC_SERVER"] = "irc.example.org:6697", ["WIKISYNC_IRC_NICK"] = "salbot" });

        var options = ServerAdminLogSettings.From(settings);

        options.WikiIndexUrl.ShouldBe("https://wiki.example.org/w/index.php");
        options.NickToUser["al|work"].ShouldBe("alice");
        var irc = options.Irc.ShouldNotBeNull();
        (irc.Host, irc.Port, irc.Tls, irc.Nick).ShouldBe(("irc.example.org", 6697, true, "salbot"));
        irc.Channels.ShouldBe(["#ops", "#tools"]);
        irc.PolicyFor("#TOOLS").Project.ShouldBe("tools");
        irc.PolicyFor("#ops").Who.ShouldBe(LogWho.Members);
        irc.PolicyFor("#ops").Deny.ShouldBe(["*!*@spam.example"]);
        irc.PolicyFor("#elsewhere").Who.ShouldBe(LogWho.Anyone);
    }

    [Fact]
    public void No_server_means_no_bot() => ServerAdminLogSettings.Irc(new IrcSettings()).ShouldBeNull();

    [Fact]
    public void Unknown_who_names_the_channel()
    {
        var settings = new IrcSettings { Server = "h:1", Rules = [new IrcChannelRule { Channel = "#x", Who = "everybody" }] };
        Should.Throw<ConfigurationException>(() => ServerAdminLogSettings.Irc(settings)).Message.ShouldContain("#x");
    }
}
