using WikiSync.AdminLog;
using WikiSync.AdminLog.Irc;
using WikiSync.Model;

namespace WikiSync.Tests.AdminLog.Irc;

public sealed class SalRefusalNoticesTests
{
    [Fact]
    public void The_notice_addresses_the_author_names_the_entry_and_what_an_operator_can_do_before_the_reason()
    {
        var entry = new LogEntry(17, "tools", "alice", "WIKISYNC-SPAM-TEST", "#ops", DateTimeOffset.UnixEpoch);

        var notice = SalRefusalNotices.Notice(new StoredLogEntry(entry, SalEntryState.Refused, "spamdetected: The wiki refused the edit"));

        notice.ShouldStartWith("alice: the wiki refused SAL entry 17 (tools)");
        notice.ShouldContain("`wikisync sal retry 17`");
        notice.ShouldContain("`wikisync sal hide 17`");
        notice.ShouldEndWith("Reason: spamdetected: The wiki refused the edit");
    }
}
