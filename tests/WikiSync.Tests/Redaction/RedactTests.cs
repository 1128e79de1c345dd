using WikiSync.Configuration;
using WikiSync.Redaction;
using WikiSync.Sources.Ldap;
using WikiSync.Sources.OpenStack;

namespace WikiSync.Tests.Redaction;

public sealed class RedactTests
{
    [Theory]
    [InlineData("https://bot:s3cret@wiki.example/w/api.php", "https://***@wiki.example/w/api.php")]
    [InlineData("https://bot@wiki.example/w/api.php", "https://***@wiki.example/w/api.php")]
    [InlineData("ldaps://cn=admin:p@ss:w0rd@ldap.example:636", "ldaps://***@ldap.example:636")]
    [InlineData("https://wiki.example/w/api.php", "https://wiki.example/w/api.php")]
    [InlineData("mailto:ops@example.org", "mailto:ops@example.org")]
    public void A_url_never_shows_its_user_info(string url, string shown)
    {
        Redact.Url(url).ShouldBe(shown);
    }

    [Fact]
    public void A_uri_never_shows_its_user_info()
    {
        Redact.Url(new Uri("https://bot:s3cret@wiki.example/w/api.php")).ShouldBe("https://***@wiki.example/w/api.php");
    }

    [Fact]
    public void A_link_for_people_drops_the_user_info()
    {
        Redact.WithoutUserInfo("https://bot:s3cret@wiki.example/w/index.php").ShouldBe("https://wiki.example/w/index.php");
    }

    [Theory]
    [InlineData("Host=db;Username=wikisync;Password=s3cret;Database=w", "Host=db;Username=wikisync;Password=***;Database=w")]
    [InlineData("Host=db;pwd = 's3 cret';Database=w", "Host=db;pwd = ***;Database=w")]
    [InlineData("postgresql://wikisync:s3cret@db:5432/w", "postgresql://***@db:5432/w")]
    public void A_connection_string_never_shows_its_password(string connectionString, string shown)
    {
        Redact.ConnectionString(connectionString).ShouldBe(shown);
    }

    [Fact]
    public void A_message_quoting_a_url_with_user_info_is_redacted()
    {
        Redact.Text("Could not reach https://u:s3cret@h/api.php: refused").ShouldBe("Could not reach https://***@h/api.php: refused");
    }

    [Fact]
    public void Settings_printed_show_no_user_info_of_any_url()
    {
        var settings = new WikiSyncSettings
        {
            Wiki = new WikiSettings { Api = "https://bot:s3cret@wiki.example/w/api.php" },
            Irc = new IrcSettings { Server = "irc://nick:s3cret@irc.example:6697" },
            OpenStack = new OpenStackOptions { AuthUrl = "https://admin:s3cret@keystone.example:5000/v3" },
            Ldap = new LdapOptions { Url = "ldap://cn=x:s3cret@ldap.example" },
            Store = "Host=db;Password=s3cret",
        };

        settings.ToString().ShouldNotContain("s3cret");
        new OpenStackOptions { AuthUrl = "ftp://admin:s3cret@keystone.example" }.Validate().ShouldAllBe(p => !p.Contains("s3cret"));
        new LdapOptions { Url = "http://cn=x:s3cret@ldap.example" }.Validate().ShouldAllBe(p => !p.Contains("s3cret"));
    }
}
