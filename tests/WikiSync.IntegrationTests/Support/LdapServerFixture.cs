using System.Diagnostics;

namespace WikiSync.IntegrationTests.Support;

/// <summary>
/// The real slapd of scripts/local-ldap.sh (port WIKISYNC_LOCAL_LDAP_PORT, default 13389), started once
/// per test collection through the script's <c>up</c> and described by its <c>env</c>.
/// </summary>
public sealed class LdapServerFixture : IAsyncLifetime
{
    public string Url { get; private set; } = "";

    public string BindDn { get; private set; } = "";

    public string BindPassword { get; private set; } = "";

    public string BaseDn { get; private set; } = "";

    public string UserBaseDn { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await RunScriptAsync("up");
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in (await RunScriptAsync("env")).Split('\n'))
        {
            var text = line.Trim();
            if (!text.StartsWith("export ", StringComparison.Ordinal) || text.IndexOf('=', StringComparison.Ordinal) is var eq && eq < 0)
                continue;
            env[text[7..eq]] = text[(eq + 1)..];
        }
        Url = env["WIKISYNC_TEST_LDAP_URL"];
        BindDn = env["WIKISYNC_TEST_LDAP_BIND_DN"];
        BindPassword = env["WIKISYNC_TEST_LDAP_BIND_PASSWORD"];
        BaseDn = env["WIKISYNC_TEST_LDAP_BASE_DN"];
        UserBaseDn = env["WIKISYNC_TEST_LDAP_USER_BASE_DN"];
    }

    // The server is left running for the next collection or run; `scripts/local-ldap.sh down` (or
    // scripts/test.sh) stops it.
    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<string> RunScriptAsync(string verb)
    {
        var script = Path.Combine(Root(), "scripts", "local-ldap.sh");
        var start = new ProcessStartInfo("bash", [script, verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Root(),
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"scripts/local-ldap.sh {verb} exited {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    private static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WikiSync.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("WikiSync.sln not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class LdapCollection : ICollectionFixture<LdapServerFixture>
{
    public const string Name = "ldap";
}
