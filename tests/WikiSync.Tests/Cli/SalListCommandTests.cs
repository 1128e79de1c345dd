using WikiSync.AdminLog;
using WikiSync.Cli.Commands;
using WikiSync.Model;

namespace WikiSync.Tests.Cli;

public sealed class SalListCommandTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 6, 5, 0, TimeSpan.Zero);

    [Fact]
    public void The_table_has_a_heading_and_a_line_per_entry_with_state_and_the_reason_of_a_refused_one()
    {
        var table = SalListCommand.Table([
            new StoredLogEntry(new LogEntry(12, "tools", "alice", "WIKISYNC-SPAM-TEST here", "#ops", At), SalEntryState.Refused, "spamdetected: refused"),
            new StoredLogEntry(new LogEntry(3, "deployment-prep", "bob", "line\nbreak " + new string('x', 200), "cli", At, 5), SalEntryState.Published),
        ]);

        var lines = table.TrimEnd('\n').Split('\n');
        lines.Length.ShouldBe(3);
        lines[0].ShouldStartWith("ID  TIME (UTC)        PROJECT          AUTHOR  STATE      REASON / MESSAGE");
        lines[1].ShouldStartWith("12  2026-12-03 06:05  tools            alice   refused    spamdetected: refused — WIKISYNC-SPAM-TEST here");
        lines[2].ShouldStartWith("3   2026-12-03 06:05  deployment-prep  bob     published  line break xxx");
        lines[2].ShouldEndWith("…");
    }

    [Fact]
    public void No_entries_says_so()
    {
        SalListCommand.Table([]).ShouldBe("No entries.\n");
    }
}
