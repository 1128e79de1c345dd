using WikiSync.AdminLog.Irc;

namespace WikiSync.Tests.AdminLog.Irc;

public sealed class IrcLineTests
{
    [Fact]
    public void Privmsg_gives_prefix_target_and_trailing_text()
    {
        var line = IrcLine.Parse(":alice!~a@host PRIVMSG #ops :!log tools did: a thing\r\n");
        line.Prefix.ShouldBe("alice!~a@host");
        line.Command.ShouldBe("PRIVMSG");
        line.Parameters.ShouldBe(["#ops", "!log tools did: a thing"]);
    }

    [Fact]
    public void Ping_without_prefix() =>
        IrcLine.Parse("PING :irc.example").ShouldSatisfyAllConditions(
            l => l.Prefix.ShouldBeNull(), l => l.Command.ShouldBe("PING"), l => l[0].ShouldBe("irc.example"));

    [Fact]
    public void Numeric_with_middle_parameters() =>
        IrcLine.Parse(":srv 433 * wikisync-bot :Nickname already in use").Parameters.ShouldBe(["*", "wikisync-bot", "Nickname already in use"]);

    [Fact]
    public void Tags_are_skipped_and_command_upper_cased() =>
        IrcLine.Parse("@time=2025-01-01T00:00:00Z :n!u@h privmsg #c :hi").ShouldSatisfyAllConditions(
            l => l.Command.ShouldBe("PRIVMSG"), l => l[1].ShouldBe("hi"));

    [Fact]
    public void Missing_parameter_reads_as_empty() => IrcLine.Parse("QUIT")[3].ShouldBe("");

    [Theory]
    [InlineData("irc.example:6697", false, "irc.example", 6697)]
    [InlineData("irc.example", false, "irc.example", 6667)]
    [InlineData("irc.example", true, "irc.example", 6697)]
    public void Server_setting_is_host_and_port(string server, bool tls, string host, int port) =>
        IrcBotOptions.ParseServer(server, tls).ShouldBe((host, port));

    [Fact]
    public void Options_never_show_the_password() =>
        new IrcBotOptions { Host = "h", Password = "s3cret-pass" }.ToString().ShouldNotContain("s3cret-pass");
}
