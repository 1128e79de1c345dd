using Microsoft.Extensions.Time.Testing;
using WikiSync.AdminLog.Irc;

namespace WikiSync.Tests.AdminLog.Irc;

public sealed class IrcFloodGuardTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 5, 10, 0, 0, TimeSpan.Zero));

    private IrcFloodGuard Guard(IrcFloodLimits? limits = null) =>
        new(limits ?? new IrcFloodLimits { NickBurst = 3, NickPerMinute = 6, ChannelBurst = 10, ChannelPerMinute = 60 }, _time);

    [Fact]
    public void A_nick_gets_its_burst_then_is_refused_told_once_a_minute_and_refills_with_time()
    {
        var guard = Guard();
        for (var i = 0; i < 3; i++)
            guard.Check("#ops", "flooder").ShouldBe(FloodDecision.Take);
        guard.Check("#ops", "flooder").ShouldBe(FloodDecision.RefuseAndTell);
        for (var i = 0; i < 100; i++)
            guard.Check("#ops", "flooder").ShouldBe(FloodDecision.RefuseQuietly);

        _time.Advance(TimeSpan.FromSeconds(10)); // 6 a minute: one more after 10 s
        guard.Check("#ops", "flooder").ShouldBe(FloodDecision.Take);
        guard.Check("#ops", "flooder").ShouldBe(FloodDecision.RefuseQuietly);
        _time.Advance(TimeSpan.FromSeconds(51));
        guard.Check("#ops", "FLOODER").ShouldBe(FloodDecision.Take);
        guard.Check("#ops", "flooder").ShouldBe(FloodDecision.Take);
        guard.Check("#ops", "flooder").ShouldBe(FloodDecision.Take);
        guard.Check("#ops", "flooder").ShouldBe(FloodDecision.RefuseAndTell);
    }

    [Fact]
    public void A_flooders_refused_lines_do_not_use_up_the_channel_for_others()
    {
        var guard = Guard();
        for (var i = 0; i < 5000; i++)
            guard.Check("#ops", "flooder");
        guard.Check("#ops", "alice").ShouldBe(FloodDecision.Take);
        guard.Check("#ops", "bob").ShouldBe(FloodDecision.Take);
    }

    [Fact]
    public void Many_nicks_together_meet_the_channel_limit_and_another_channel_is_apart()
    {
        var guard = Guard();
        for (var i = 0; i < 10; i++)
            guard.Check("#ops", $"nick{i}").ShouldBe(FloodDecision.Take);
        guard.Check("#ops", "late").ShouldBe(FloodDecision.RefuseAndTell);
        guard.Check("#other", "late").ShouldBe(FloodDecision.Take);
        _time.Advance(TimeSpan.FromSeconds(1));
        guard.Check("#ops", "nick0").ShouldBe(FloodDecision.Take);
    }

    [Theory]
    [InlineData(510, false)]
    [InlineData(511, true)]
    public void Lines_over_512_bytes_with_crlf_are_too_long(int length, bool tooLong) =>
        IrcBot.TooLong(":n!u@h PRIVMSG #ops :" + new string('x', length - 21)).ShouldBe(tooLong);

    [Fact]
    public void Tags_do_not_count_and_multibyte_text_counts_in_bytes()
    {
        IrcBot.TooLong("@" + new string('t', 2000) + " :n!u@h PRIVMSG #ops :short").ShouldBeFalse();
        IrcBot.TooLong(":n!u@h PRIVMSG #ops :" + new string('é', 240)).ShouldBeFalse();
        IrcBot.TooLong(":n!u@h PRIVMSG #ops :" + new string('é', 250)).ShouldBeTrue();
    }

    [Fact]
    public void Queue_drops_replies_beyond_its_bound_but_never_an_acknowledgement()
    {
        var bot = new IrcBot(new IrcBotOptions { Host = "irc.invalid", MaxQueuedReplies = 3 }, (_, _) => Task.FromResult<IrcReply?>(null), _time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<IrcBot>.Instance);
        for (var i = 0; i < 10; i++)
            bot.Say("#ops", $"refusal {i}");
        for (var i = 0; i < 100; i++)
            bot.Say("#ops", $"Logged {i}", essential: true).ShouldBeTrue();
        bot.QueuedReplies.ShouldBe(103);
    }
}
