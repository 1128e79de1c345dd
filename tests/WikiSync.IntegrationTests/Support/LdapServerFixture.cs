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
        var env = await ServerScript.UpOnceAsync("local-ldap.sh");
        Url = env["WIKISYNC_TEST_LDAP_URL"];
        BindDn = env["WIKISYNC_TEST_LDAP_BIND_DN"];
        BindPassword = env["WIKISYNC_TEST_LDAP_BIND_PASSWORD"];
        BaseDn = env["WIKISYNC_TEST_LDAP_BASE_DN"];
        UserBaseDn = env["WIKISYNC_TEST_LDAP_USER_BASE_DN"];
    }

    // The server is left running for the next collection or run; `scripts/local-ldap.sh down` (or
    // scripts/test.sh) stops it.
    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class LdapCollection : ICollectionFixture<LdapServerFixture>
{
    public const string Name = "ldap";
}
