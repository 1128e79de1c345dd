using WikiSync.AdminLog;
using WikiSync.Tests.Support;

namespace WikiSync.Tests.AdminLog;

public sealed class LogAccessTests
{
    private static readonly WikiSync.Model.Project Tools = SalTestData.Inventory.Find("tools")!;

    [Theory]
    [InlineData("*!*@*", "alice!~alice@host", true)]
    [InlineData("alice!*@*.example.org", "Alice!~a@box.example.org", true)]
    [InlineData("alice!*@*.example.org", "alice!~a@example.org", false)]
    [InlineData("b?b!*@*", "bob!u@h", true)]
    [InlineData("b?b!*@*", "boob!u@h", false)]
    [InlineData("a.c!*@*", "abc!u@h", false)]
    [InlineData("[x]!*@*", "[x]!u@h", true)]
    public void Masks_match_with_star_and_question_mark(string pattern, string mask, bool expected) =>
        LogAccess.MaskMatches(pattern, mask).ShouldBe(expected);

    [Fact]
    public void Prefix_parses_nick_user_and_host() =>
        IrcUser.Parse("alice!~alice@host.example.org").ShouldBe(new IrcUser("alice", "~alice", "host.example.org"));

    [Fact]
    public void Anyone_may_log_in_an_open_channel() =>
        new LogAccess().IsAllowed(ChannelPolicy.Open("#ops"), new IrcUser("mallory", "m", "h"), Tools).ShouldBeTrue();

    [Fact]
    public void Members_policy_admits_members_case_insensitively_and_refuses_others()
    {
        var policy = new ChannelPolicy("#ops", Who: LogWho.Members);
        new LogAccess().IsAllowed(policy, new IrcUser("ALICE", "a", "h"), Tools).ShouldBeTrue();
        new LogAccess().IsAllowed(policy, new IrcUser("mallory", "m", "h"), Tools).ShouldBeFalse();
    }

    [Fact]
    public void Members_policy_uses_the_nick_to_user_mapping()
    {
        var access = new LogAccess(new Dictionary<string, string> { ["al|work"] = "alice" });
        access.IsAllowed(new ChannelPolicy("#ops", Who: LogWho.Members), new IrcUser("AL|work", "a", "h"), Tools).ShouldBeTrue();
    }

    [Fact]
    public void Deny_mask_wins_over_allow_and_anyone()
    {
        var policy = new ChannelPolicy("#ops", Allow: ["*!*@*"], Deny: ["*!*@evil.example"]);
        new LogAccess().IsAllowed(policy, new IrcUser("alice", "a", "evil.example"), Tools).ShouldBeFalse();
    }

    [Fact]
    public void Allowed_policy_admits_only_allow_list()
    {
        var policy = new ChannelPolicy("#ops", Who: LogWho.Allowed, Allow: ["*!*@trusted.example"]);
        new LogAccess().IsAllowed(policy, new IrcUser("x", "x", "trusted.example"), Tools).ShouldBeTrue();
        new LogAccess().IsAllowed(policy, new IrcUser("alice", "x", "other"), Tools).ShouldBeFalse();
    }

    [Fact]
    public void Allow_mask_admits_a_non_member_in_a_members_channel() =>
        new LogAccess().IsAllowed(new ChannelPolicy("#ops", Who: LogWho.Members, Allow: ["bot!*@*"]), new IrcUser("bot", "b", "h"), Tools).ShouldBeTrue();
}
