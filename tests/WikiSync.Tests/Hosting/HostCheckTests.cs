using WikiSync.Hosting;

namespace WikiSync.Tests.Hosting;

public sealed class HostCheckTests
{
    [Theory]
    [InlineData("127.0.0.1", null, true)]
    [InlineData("127.0.0.1:8080", null, true)]
    [InlineData("localhost:8080", null, true)]
    [InlineData("LOCALHOST", null, true)]
    [InlineData("[::1]:8080", null, true)]
    [InlineData("attacker.example:8080", null, false)]
    [InlineData("127.0.0.1.attacker.example", null, false)]
    [InlineData("", null, false)]
    [InlineData("wikisync.example.org", "wikisync.example.org", true)]
    [InlineData("wikisync.example.org:443", "Wikisync.Example.org", true)]
    [InlineData("other.example.org", "wikisync.example.org", false)]
    public void Only_this_machine_and_the_public_name_are_answered(string host, string? publicHost, bool allowed) =>
        HostCheck.Allowed(host, publicHost).ShouldBe(allowed);
}
