using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using WikiSync.Configuration;
using WikiSync.Tests.Support;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace WikiSync.Tests.Configuration;

/// <summary>
/// Every key the configuration tables document (README.md and src/WikiSync/Sources/README.md) is read from
/// YAML, and every variable they list next to it sets the same setting: a table row that the loader does not
/// honour fails here, not at an operator's first start.
/// </summary>
public sealed partial class DocumentedKeysTests
{
    private static readonly string[] PathKeys = ["inventory", "data", "jobs", "templates"];

    public static TheoryData<string> Keys() => [.. DocumentedKeys().Select(k => k.Key)];

    public static TheoryData<string, string> Variables()
    {
        var data = new TheoryData<string, string>();
        foreach (var key in DocumentedKeys().Where(k => k.Variable is not null))
            data.Add(key.Key, key.Variable!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void A_documented_key_is_read_from_the_file(string key)
    {
        using var dir = new TempFolder();
        var property = Resolve(key);
        var (yaml, expected) = Sample(property.PropertyType, forEnvironment: false);
        var file = dir.Write("c.yaml", Nest(key, yaml));

        var settings = SettingsLoader.Load(file, _ => null, dir.Path);

        Check(settings, key, expected, dir.Path);
    }

    [Theory]
    [MemberData(nameof(Variables))]
    public void A_documented_variable_sets_its_key(string key, string variable)
    {
        using var dir = new TempFolder();
        var property = Resolve(key);
        var (text, expected) = Sample(property.PropertyType, forEnvironment: true);

        var settings = SettingsLoader.Load(null, name => name == variable ? text : null, dir.Path);

        Check(settings, key, expected, dir.Path);
    }

    [Fact]
    public void The_tables_document_the_keys_a_deployment_on_openstack_needs()
    {
        var keys = DocumentedKeys().ToDictionary(k => k.Key, k => k.Variable);

        keys["openstack.all_projects"].ShouldBe("WIKISYNC_OPENSTACK_ALL_PROJECTS");
        keys["openstack.projects"].ShouldBe("WIKISYNC_OPENSTACK_PROJECTS");
        keys["openstack.keystone_domain"].ShouldBe("WIKISYNC_OPENSTACK_KEYSTONE_DOMAIN");
        keys["openstack.disabled_projects"].ShouldBe("WIKISYNC_OPENSTACK_DISABLED_PROJECTS");
        keys.ShouldContainKey("ldap.display_name_attributes");
    }

    [Fact]
    public void A_list_where_a_single_value_belongs_names_the_key_and_what_it_takes_never_a_dotnet_type()
    {
        using var dir = new TempFolder();
        var file = dir.Write("c.yaml", "openstack:\n  all_projects: false\n  projects: { bots: 1 }\n");

        var e = Should.Throw<ConfigurationException>(() => SettingsLoader.Load(file, _ => null, dir.Path));

        e.Message.ShouldStartWith($"{file}:3:13: openstack.projects must be a list of values, e.g. [a, b], found a mapping");
        e.Message.ShouldNotContain("System.");
    }

    [Fact]
    public void A_word_where_a_number_belongs_names_the_key()
    {
        using var dir = new TempFolder();
        var file = dir.Write("c.yaml", "ldap:\n  url: ldap://x\n  timeout_seconds: soon\n");

        var e = Should.Throw<ConfigurationException>(() => SettingsLoader.Load(file, _ => null, dir.Path));

        e.Message.ShouldBe($"{file}:3:20: ldap.timeout_seconds must be a whole number, found the value \"soon\"");
    }

    [Fact]
    public void A_variable_that_is_not_a_boolean_is_named()
    {
        using var dir = new TempFolder();

        var e = Should.Throw<ConfigurationException>(() => SettingsLoader.Load(null, n => n == "WIKISYNC_OPENSTACK_ALL_PROJECTS" ? "maybe" : null, dir.Path));

        e.Message.ShouldContain("WIKISYNC_OPENSTACK_ALL_PROJECTS");
        e.Message.ShouldContain("true or false");
    }

    private sealed record DocumentedKey(string Key, string? Variable);

    /// <summary>Each documented key once (the two READMEs share a few), with its variable where either lists one.</summary>
    private static IEnumerable<DocumentedKey> DocumentedKeys() =>
        Rows().GroupBy(k => k.Key, StringComparer.Ordinal).Select(g => new DocumentedKey(g.Key, g.Select(k => k.Variable).FirstOrDefault(v => v is not null)));

    /// <summary>The rows of the tables: backticked keys (".x" continues the first key's section) and, where listed, variables ("_X" continues the first's prefix).</summary>
    private static IEnumerable<DocumentedKey> Rows()
    {
        var root = RepositoryRoot();
        foreach (var row in TableRows(Path.Combine(root, "README.md"), "| YAML key |"))
            foreach (var key in Pair(row.Keys, row.Variables, section: null))
                yield return key;
        foreach (var row in TableRows(Path.Combine(root, "src", "WikiSync", "Sources", "README.md"), "| key |"))
            foreach (var key in Pair(row.Keys, row.Variables, row.Section))
                yield return key;
    }

    private sealed record Row(IReadOnlyList<string> Keys, IReadOnlyList<string> Variables, string? Section);

    private static IEnumerable<Row> TableRows(string file, string header)
    {
        string? section = null;
        var inTable = false;
        var variableColumn = -1;
        foreach (var line in File.ReadLines(file))
        {
            if (line.StartsWith('#'))
                section = SectionHeading().Match(line) is { Success: true } m ? m.Groups[1].Value : null;
            if (line.StartsWith(header, StringComparison.Ordinal))
            {
                inTable = true;
                var columns = line.Split('|', StringSplitOptions.TrimEntries);
                variableColumn = Array.FindIndex(columns, c => c.Contains("nvironment", StringComparison.Ordinal)) - 1;
                continue;
            }
            if (!inTable || line.StartsWith("|---", StringComparison.Ordinal))
                continue;
            if (!line.StartsWith('|'))
            {
                inTable = false;
                continue;
            }
            var cells = line.Split('|', StringSplitOptions.TrimEntries)[1..^1];
            var keys = Ticked(cells[0]).Where(t => KeyToken().IsMatch(t)).ToList();
            var variables = variableColumn >= 0 ? Ticked(cells[variableColumn]).Where(t => VariableToken().IsMatch(t)).ToList() : [];
            yield return new Row(keys, variables, section);
        }
    }

    private static IEnumerable<DocumentedKey> Pair(IReadOnlyList<string> keys, IReadOnlyList<string> variables, string? section)
    {
        if (keys.Count == 0)
            yield break;
        var first = keys[0];
        var keySection = first.Contains('.', StringComparison.Ordinal) ? first[..first.LastIndexOf('.')] : "";
        var variablePrefix = variables.Count > 0 && variables[0].StartsWith("WIKISYNC_", StringComparison.Ordinal)
            ? variables[0][..^(first[(first.LastIndexOf('.') + 1)..].Length + 1)]
            : "";
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i].StartsWith('.') ? keySection + keys[i] : keys[i];
            if (section is not null)
                key = $"{section}.{key}";
            var variable = variables.Count == keys.Count
                ? variables[i].StartsWith('_') ? variablePrefix + variables[i] : variables[i]
                : null;
            yield return new DocumentedKey(key, variable);
        }
    }

    private static IEnumerable<string> Ticked(string cell) => Backticked().Matches(cell).Select(m => m.Groups[1].Value);

    private static PropertyInfo Resolve(string key)
    {
        var type = typeof(WikiSyncSettings);
        PropertyInfo? property = null;
        foreach (var part in key.Split('.'))
        {
            property = type.GetProperties().FirstOrDefault(p => YamlName(p) == part)
                ?? throw new ShouldAssertException($"the documented key {key} has no setting ({part} is not a key of {type.Name})");
            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        }
        return property!;
    }

    private static string YamlName(PropertyInfo p) => p.GetCustomAttribute<YamlMemberAttribute>()?.Alias ?? UnderscoredNamingConvention.Instance.Apply(p.Name);

    /// <summary>A value unlike any default, as YAML (or a variable's text), and what the setting must then hold.</summary>
    private static (string Text, object? Expected) Sample(Type type, bool forEnvironment)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
            return ("sample-value-7", "sample-value-7");
        if (type == typeof(int))
            return ("4242", 4242);
        if (type == typeof(long))
            return ("424242", 424242L);
        if (type == typeof(bool))
            return ("false", false);
        if (type == typeof(TimeSpan))
            return forEnvironment ? ("95", TimeSpan.FromSeconds(95)) : ("95s", TimeSpan.FromSeconds(95));
        if (type != typeof(string) && typeof(IEnumerable<string>).IsAssignableFrom(type))
            return forEnvironment ? ("alpha, beta", new[] { "alpha", "beta" }) : ("[alpha, beta]", new[] { "alpha", "beta" });
        if (typeof(IDictionary).IsAssignableFrom(type))
            return ("{ alpha: beta }", null);
        if (typeof(IEnumerable).IsAssignableFrom(type))
            return ("[]", null);
        return ("{}", null);
    }

    private static string Nest(string key, string value)
    {
        var parts = key.Split('.');
        var lines = parts.Select((p, i) => new string(' ', 2 * i) + p + ":" + (i == parts.Length - 1 ? " " + value : ""));
        return string.Join('\n', lines) + '\n';
    }

    private static void Check(WikiSyncSettings settings, string key, object? expected, string directory)
    {
        object? value = settings;
        foreach (var part in key.Split('.'))
        {
            value.ShouldNotBeNull($"{key}: the section holding {part} was not created");
            value = value.GetType().GetProperties().First(p => YamlName(p) == part).GetValue(value);
        }
        switch (expected)
        {
            case null:
                return;
            case string text when PathKeys.Contains(key):
                value.ShouldBe(Path.GetFullPath(text, directory), key);
                break;
            case string[] list:
                ((IEnumerable<string>)value!).ShouldBe(list, key);
                break;
            default:
                value.ShouldBe(expected, key);
                break;
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WikiSync.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("WikiSync.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\(`([a-z_]+):`\)")]
    private static partial Regex SectionHeading();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backticked();

    [GeneratedRegex(@"^\.?[a-z_]+(\.[a-z_]+)*$")]
    private static partial Regex KeyToken();

    [GeneratedRegex(@"^(WIKISYNC_[A-Z0-9_]+|_[A-Z0-9_]+)$")]
    private static partial Regex VariableToken();
}
