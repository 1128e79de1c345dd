using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;
using WikiSync.Yaml;

namespace WikiSync.Configuration;

/// <summary>
/// Builds <see cref="WikiSyncSettings"/>: the YAML file (if any; unknown keys and wrong types are errors
/// naming file:line:column), then WIKISYNC_* variables on top, then paths made absolute and defaults filled.
/// </summary>
public static class SettingsLoader
{
    /// <summary>Loads from the process environment and current directory.</summary>
    public static WikiSyncSettings Load(string? configFile) =>
        Load(configFile, Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory());

    public static WikiSyncSettings Load(string? configFile, Func<string, string?> environment, string currentDirectory)
    {
        ArgumentNullException.ThrowIfNull(environment);
        // An empty variable means "not set", which is what a shell's `export X=` usually intends.
        string? Env(string name) => environment(name) is { Length: > 0 } value ? value : null;

        var settings = new WikiSyncSettings();
        var fileDirectory = currentDirectory;
        if (configFile is not null)
        {
            var path = Path.GetFullPath(configFile, currentDirectory);
            settings = ReadFile(path);
            fileDirectory = Path.GetDirectoryName(path)!;
        }
        settings = Resolve(settings, fileDirectory);
        var fromEnvironment = ApplyEnvironment(settings, Env);
        return Defaults(Resolve(fromEnvironment, currentDirectory), currentDirectory);
    }

    /// <summary>Each section reads its own variables; a new section adds one line here.</summary>
    internal static WikiSyncSettings ApplyEnvironment(WikiSyncSettings s, Func<string, string?> env) => s with
    {
        Wiki = s.Wiki.ApplyEnvironment(env),
        Inventory = env("WIKISYNC_INVENTORY") ?? s.Inventory,
        Data = env("WIKISYNC_DATA") ?? s.Data,
        Jobs = env("WIKISYNC_JOBS") ?? s.Jobs,
        Templates = env("WIKISYNC_TEMPLATES") ?? s.Templates,
        Store = env("WIKISYNC_STORE") ?? s.Store,
        Contact = env("WIKISYNC_CONTACT") ?? s.Contact,
        ShutoffPage = env("WIKISYNC_SHUTOFF_PAGE") ?? s.ShutoffPage,
        Irc = s.Irc.ApplyEnvironment(env),
        Sources = SourcesEnvironment.Apply(s.Sources, env),
        OpenStack = SourcesEnvironment.Apply(s.OpenStack, env),
        Ldap = SourcesEnvironment.Apply(s.Ldap, env),
        Http = s.Http.ApplyEnvironment(env),
        PassTimeout = env("WIKISYNC_PASS_TIMEOUT") is { } timeout
            ? ParsePassTimeout(timeout) ?? throw new ConfigurationException($"WIKISYNC_PASS_TIMEOUT: {DescribeBadPassTimeout(timeout)}")
            : s.PassTimeout,
    };

    internal static TimeSpan? ParsePassTimeout(string text) =>
        Durations.TryParse(text, bareSeconds: true, out var timeout) && timeout >= TimeSpan.FromSeconds(1) ? timeout : null;

    internal static string DescribeBadPassTimeout(string text) =>
        $"\"{text}\" is not a pass timeout; write seconds or a duration of at least 1s, e.g. 600, 10m, 1h";

    private static WikiSyncSettings ReadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"{path}: cannot read the configuration file: {e.Message}");
        }
        var deserializer = new DeserializerBuilder()
            .WithNamingConvention(UnderscoredNamingConvention.Instance)
            .WithTypeConverter(new PassTimeoutConverter())
            // The option records expose read-only lists; YamlDotNet needs to be told what to build for them.
            .WithTypeMapping<IReadOnlyList<string>, List<string>>()
            .Build();
        try
        {
            var settings = deserializer.Deserialize<WikiSyncSettings?>(text) ?? new WikiSyncSettings();
            // "irc:" with nothing after it reads as null; treat it as an empty section.
            return settings with
            {
                Wiki = settings.Wiki ?? new(),
                Irc = settings.Irc ?? new(),
                Sources = settings.Sources ?? new(),
                Http = settings.Http ?? new(),
                Data = settings.Data ?? ".state",
            };
        }
        catch (YamlException e)
        {
            throw new ConfigurationException($"{path}:{e.Start.Line}:{e.Start.Column}: {Explain(YamlFile.Innermost(e), text, e.Start)}");
        }
    }

    private static string Explain(string message, string text, Mark at) =>
        message.StartsWith("Property '", StringComparison.Ordinal) && message.Contains("not found", StringComparison.Ordinal)
            ? "unknown key " + message["Property ".Length..message.IndexOf(" not found", StringComparison.Ordinal)].Replace('\'', '"')
            : SettingsTypeErrors.Explain(text, at) ?? message;

    private static WikiSyncSettings Resolve(WikiSyncSettings s, string baseDirectory) => s with
    {
        Inventory = Absolute(s.Inventory, baseDirectory),
        Data = Absolute(s.Data, baseDirectory)!,
        Jobs = Absolute(s.Jobs, baseDirectory),
        Templates = Absolute(s.Templates, baseDirectory),
    };

    private static WikiSyncSettings Defaults(WikiSyncSettings s, string currentDirectory) => s with
    {
        Jobs = s.Jobs ?? RepositoryPaths.Find("jobs", currentDirectory),
        Templates = s.Templates ?? RepositoryPaths.Find("templates", currentDirectory),
    };

    private static string? Absolute(string? path, string baseDirectory) =>
        string.IsNullOrWhiteSpace(path) ? null : Path.GetFullPath(path, baseDirectory);
}

/// <summary><c>pass_timeout: 600</c> or <c>pass_timeout: 10m</c>; a bad value is an error at its line and column.</summary>
internal sealed class PassTimeoutConverter : IYamlTypeConverter
{
    public bool Accepts(Type type) => type == typeof(TimeSpan);

    public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
    {
        var scalar = parser.Consume<YamlDotNet.Core.Events.Scalar>();
        return SettingsLoader.ParsePassTimeout(scalar.Value)
            ?? throw new YamlException(scalar.Start, scalar.End, SettingsLoader.DescribeBadPassTimeout(scalar.Value));
    }

    public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer) =>
        throw new NotSupportedException("settings are never written back");
}
