using WikiSync.Sources;
using WikiSync.Sources.Ldap;

namespace WikiSync.Tests.Sources.Ldap;

public sealed class LdapFilterTests
{
    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("eve*)(uid=*", @"eve\2a\29\28uid=\2a")]
    [InlineData(@"back\slash", @"back\5cslash")]
    [InlineData("nul\0byte", @"nul\00byte")]
    [InlineData("new\nline", @"new\0aline")]
    [InlineData("Ådmin ünïcode", "Ådmin ünïcode")]
    public void Escape_follows_RFC_4515(string value, string escaped) => LdapFilter.Escape(value).ShouldBe(escaped);

    [Fact]
    public void Or_of_equalities_escapes_every_value()
    {
        var filter = LdapFilter.Or([LdapFilter.Equal("uid", "a*"), LdapFilter.Equal("uid", "b)(|(x=y")]);

        filter.ShouldBe(@"(|(uid=a\2a)(uid=b\29\28|\28x=y))");
    }

    [Fact]
    public void Or_of_one_term_is_the_term() => LdapFilter.Or([LdapFilter.Equal("uid", "a")]).ShouldBe("(uid=a)");

    [Theory]
    [InlineData("(objectClass=*)", true)]
    [InlineData("(|(a=b)(c=d))", true)]
    [InlineData("objectClass=*", false)]
    [InlineData("(a=b))(", false)]
    [InlineData("(a=b)(c=d)", false)]
    [InlineData(@"(cn=\29)", true)]
    public void Configured_filters_must_be_one_parenthesised_expression(string filter, bool ok) =>
        (new LdapOptions { Url = "ldap://x", BaseDn = "dc=x", GroupFilter = filter }.Validate().Count == 0).ShouldBe(ok);

    [Fact]
    public void Incomplete_options_name_every_key()
    {
        var e = Should.Throw<SourceException>(() => new LdapInventorySource(
            new LdapOptions { Url = "http://x", BindDn = "cn=a" }, Microsoft.Extensions.Logging.Abstractions.NullLogger<LdapInventorySource>.Instance));

        e.Message.ShouldContain("ldap.url \"http://x\" is not an ldap://");
        e.Message.ShouldContain("ldap.base_dn is required");
        e.Message.ShouldContain("ldap.bind_password is required");
    }

    [Fact]
    public void Options_text_hides_the_password() =>
        new LdapOptions { Url = "ldap://x", BindDn = "cn=a", BindPassword = "hunter2" }.ToString().ShouldNotContain("hunter2");
}

public sealed class DistinguishedNameTests
{
    [Fact]
    public void Escaped_commas_stay_inside_their_RDN()
    {
        DistinguishedName.Split(@"uid=dan\, jr,ou=people,dc=x").ShouldBe([@"uid=dan\, jr", "ou=people", "dc=x"]);
        DistinguishedName.FirstRdn(@"uid=dan\, jr,ou=people,dc=x").ShouldBe(("uid", "dan, jr"));
    }

    [Fact]
    public void Hex_and_character_escapes_normalize_alike()
    {
        DistinguishedName.Normalize(@"CN={{evil}}\3Cb\3Ex,OU=Projects").ShouldBe(DistinguishedName.Normalize(@"cn={{evil}}\<b\>x,ou=projects"));
        DistinguishedName.Normalize(@"uid=eve*)(uid\3D*,ou=p").ShouldBe(DistinguishedName.Normalize("uid=eve*)(uid=*,ou=p"));
    }

    [Fact]
    public void Multibyte_hex_escapes_decode_as_UTF8() =>
        DistinguishedName.FirstRdn(@"cn=\C3\85dmin,dc=x").ShouldBe(("cn", "Ådmin"));

    [Fact]
    public void User_base_defaults_to_the_parent_of_the_project_base() =>
        new LdapOptions { BaseDn = "ou=projects,dc=wikisync,dc=test" }.EffectiveUserBaseDn.ShouldBe("dc=wikisync,dc=test");
}
