using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WikiSync.Yaml;

/// <summary>
/// Strict reading of a YAML file through its node tree, so every complaint can name file:line:column.
/// The inventory and job loaders use it; a problem is an <see cref="YamlFileException"/>.
/// </summary>
internal sealed class YamlFile
{
    private YamlFile(string path, YamlNode? root)
    {
        Path = path;
        Root = root;
    }

    public string Path { get; }

    /// <summary>The document's root, null for an empty file.</summary>
    public YamlNode? Root { get; }

    public static YamlFile Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new YamlFileException($"{path}: cannot read the file: {e.Message}");
        }
        return Parse(path, text);
    }

    public static YamlFile Parse(string path, string text)
    {
        var stream = new YamlStream();
        var parser = new Parser(new StringReader(text));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw new YamlFileException($"{path}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {Innermost(e)}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails some bad input (a flow mapping cut by a block list entry) without a
            // position: name where the last thing it could read ends.
            var at = parser.Current?.End ?? new Mark(0, 1, 1);
            throw new YamlFileException($"{path}:{at.Line}:{at.Column}: not valid YAML after this point (an unclosed bracket or quote, or a line indented wrong?)");
        }
        if (stream.Documents.Count > 1)
            throw new YamlFileException($"{path}:{stream.Documents[1].RootNode.Start.Line}:1: one YAML document expected, found several");
        return new YamlFile(path, stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode);
    }

    /// <summary>For a reader that walks the file's events itself and checks its nodes one by one.</summary>
    public static YamlFile Streaming(string path) => new(path, null);

    public string At(YamlNode node) => At(node.Start);

    public string At(Mark mark) => $"{Path}:{mark.Line}:{mark.Column}";

    public YamlFileException Error(YamlNode node, string message) => new($"{At(node)}: {message}");

    public YamlMappingNode Mapping(YamlNode node, string what) =>
        node as YamlMappingNode ?? throw Error(node, $"{what} must be a mapping (key: value), found {Describe(node)}");

    public YamlSequenceNode Sequence(YamlNode node, string what) =>
        node as YamlSequenceNode ?? throw Error(node, $"{what} must be a list, found {Describe(node)}");

    public string Scalar(YamlNode node, string what)
    {
        if (node is not YamlScalarNode scalar)
            throw Error(node, $"{what} must be a single value, found {Describe(node)}");
        return scalar.Value ?? "";
    }

    public bool Boolean(YamlNode node, string what)
    {
        var text = Scalar(node, what);
        return text.ToUpperInvariant() switch
        {
            "TRUE" or "YES" or "ON" => true,
            "FALSE" or "NO" or "OFF" => false,
            _ => throw Error(node, $"{what} must be true or false, found \"{text}\""),
        };
    }

    /// <summary>
    /// The keys of a mapping by name, refusing unknown and duplicate keys and reporting missing required
    /// ones. <paramref name="allowed"/> lists every key; those starting with '!' are required.
    /// </summary>
    public Dictionary<string, YamlNode> Keys(YamlMappingNode mapping, string what, params string[] allowed)
    {
        var known = allowed.Select(k => k.TrimStart('!')).ToHashSet(StringComparer.Ordinal);
        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = Scalar(keyNode, $"a key of {what}");
            if (!known.Contains(key))
                throw Error(keyNode, $"unknown key \"{key}\" in {what} (expected one of: {string.Join(", ", known)})");
            if (!result.TryAdd(key, value))
                throw Error(keyNode, $"duplicate key \"{key}\" in {what}");
        }
        foreach (var required in allowed.Where(k => k.StartsWith('!')).Select(k => k[1..]))
        {
            if (!result.ContainsKey(required))
                throw Error(mapping, $"{what} is missing the required key \"{required}\"");
        }
        return result;
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s when string.IsNullOrEmpty(s.Value) => "nothing",
        YamlScalarNode s => string.Create(CultureInfo.InvariantCulture, $"the value \"{Shorten(s.Value!)}\""),
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "something else",
    };

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    internal static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
            e = e.InnerException;
        // YamlException messages repeat the position; the caller prints its own.
        var message = e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && cut > 0 ? message[(cut + 3)..] : message;
    }
}

/// <summary>A YAML file WikiSync cannot use; the message starts with file:line:column.</summary>
public sealed class YamlFileException : Exception
{
    public YamlFileException(string message) : base(message) { }

    public YamlFileException(string message, Exception inner) : base(message, inner) { }

    public YamlFileException() { }
}
