using WikiSync.AdminLog;

namespace WikiSync.Tests.AdminLog;

public sealed class LogCommandParserTests
{
    [Theory]
    [InlineData("!log tools restarted the grid", "tools", "restarted the grid")]
    [InlineData("!LOG tools restarted", "tools", "restarted")]
    [InlineData("  !Log   tools    two  spaces kept  ", "tools", "two  spaces kept")]
    [InlineData("!log tools", "tools", "")]
    [InlineData("!log", "", "")]
    public void Log_splits_project_and_message(string line, string project, string message) =>
        LogCommandParser.Parse(line).ShouldBe(new LogCommand.Log(project, message));

    [Theory]
    [InlineData("hello")]
    [InlineData("!logs tools x")]
    [InlineData("say !log tools x")]
    [InlineData("")]
    public void Other_lines_are_not_commands(string line) => LogCommandParser.Parse(line).ShouldBeNull();

    [Theory]
    [InlineData("!log help")]
    [InlineData("!LOG HELP")]
    public void Help_is_recognised(string line) => LogCommandParser.Parse(line).ShouldBe(new LogCommand.Help(null));

    [Fact]
    public void Help_followed_by_words_is_a_log_to_a_project_named_help() =>
        LogCommandParser.Parse("!log help me").ShouldBe(new LogCommand.Log("help", "me"));

    [Fact]
    public void Bound_channel_takes_the_whole_text_as_message() =>
        LogCommandParser.Parse("!log rebooted db1", "tools").ShouldBe(new LogCommand.Log("tools", "rebooted db1"));

    [Fact]
    public void Bound_channel_also_accepts_its_project_named() =>
        LogCommandParser.Parse("!log Tools rebooted db1", "tools").ShouldBe(new LogCommand.Log("tools", "rebooted db1"));

    [Fact]
    public void Bound_channel_help_names_the_project() =>
        LogCommandParser.Parse("!log help", "tools").ShouldBe(new LogCommand.Help("tools"));
}
