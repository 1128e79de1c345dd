namespace WikiSync.IntegrationTests.Support;

/// <summary>The real ngircd started by scripts/local-irc.sh (port WIKISYNC_LOCAL_IRC_PORT), shared by a collection.</summary>
public sealed class IrcServerFixture : IAsyncLifetime
{
    public string Host { get; private set; } = "127.0.0.1";

    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        var env = await ServerScript.UpOnceAsync("local-irc.sh");
        var server = env["WIKISYNC_IRC_SERVER"];
        var colon = server.LastIndexOf(':');
        Host = server[..colon];
        Port = int.Parse(server[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    // The server is shared by every test run on this machine and port; the scripts' `down` is for test.sh.
    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class IrcCollection : ICollectionFixture<IrcServerFixture>
{
    public const string Name = "ngircd";
}
