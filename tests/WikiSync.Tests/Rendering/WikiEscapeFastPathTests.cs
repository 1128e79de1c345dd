using System.Text;
using WikiSync.Rendering;

namespace WikiSync.Tests.Rendering;

/// <summary>Escape returns a value untouched when nothing in it needs escaping; it must agree with the full escaper.</summary>
public sealed class WikiEscapeFastPathTests
{
    [Theory]
    [InlineData("bench-web-1")]
    [InlineData("ACTIVE")]
    [InlineData("172.16.0.1")]
    [InlineData("a_b")]
    [InlineData("a__b")]
    [InlineData("ISBN 123")]
    [InlineData("xISBN 123")]
    [InlineData("RFC 1149")]
    [InlineData("PMID 1")]
    [InlineData("PRIMARY")]
    [InlineData("-leading")]
    [InlineData(" leading")]
    [InlineData("line\nbreak")]
    [InlineData("tab\there")]
    [InlineData("exim::simple-mail-sender")]
    [InlineData("\u2028")]
    [InlineData("\ud800x")]
    [InlineData("ok 😀")]
    [InlineData("del\u007f")]
    public void Escape_agrees_with_the_full_escaper(string value) =>
        WikiEscape.Escape(value).ShouldBe(Full(value));

    [Fact]
    public void Escape_agrees_with_the_full_escaper_on_random_strings()
    {
        var random = new Random(6);
        const string alphabet = "aZ09 _-*#;+:|!=~'\"<>&[]{}IRPSBNFCMD\n\r\t\u0085\u2028\u00e9\ud83d\ude00\ud800";
        for (var n = 0; n < 20_000; n++)
        {
            var chars = new char[random.Next(1, 12)];
            for (var i = 0; i < chars.Length; i++)
                chars[i] = alphabet[random.Next(alphabet.Length)];
            var value = new string(chars);
            WikiEscape.Escape(value).ShouldBe(Full(value), value);
        }
    }

    private static string Full(string value)
    {
        var sb = new StringBuilder();
        WikiEscape.Append(sb, value, atStart: true);
        return sb.ToString();
    }
}
