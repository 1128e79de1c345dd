using System.Reflection;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;
using WikiSync.Yaml;

namespace WikiSync.Configuration;

/// <summary>
/// Turns YamlDotNet's complaint about a value of the wrong type (which names .NET types, e.g. "No node
/// deserializer was able to deserialize the node into type System.Collections.Generic.IReadOnlyList`1[…]")
/// into what an operator can act on: the key, what it takes, and what the file holds there.
/// </summary>
internal static class SettingsTypeErrors
{
    /// <summary>"KEY must be EXPECTED, found WHAT" for the value at <paramref name="at"/>; null when no key of the settings starts there.</summary>
    public static string? Explain(string text, Mark at)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException)
        {
            return null;
        }
        if (stream.Documents.Count == 0)
            return null;
        return Find(stream.Documents[0].RootNode, typeof(WikiSyncSettings), "", at) is { } found && Expected(found.Type) is { } expected
            ? $"{found.Key} must be {expected}, found {YamlFile.Describe(found.Node)}"
            : null;
    }

    private sealed record Found(string Key, YamlNode Node, Type Type);

    private static Found? Find(YamlNode node, Type type, string prefix, Mark at)
    {
        if (node is not YamlMappingNode mapping)
            return null;
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } name } || PropertyOf(type, name) is not { } property)
                continue;
            var key = prefix.Length == 0 ? name : $"{prefix}.{name}";
            var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            // The deepest key wins: a section's mapping starts where its first key does.
            if (IsSection(valueType) && Find(value, valueType, key, at) is { } inner)
                return inner;
            if (value.Start.Line == at.Line && value.Start.Column == at.Column)
                return new Found(key, value, valueType);
        }
        return null;
    }

    private static PropertyInfo? PropertyOf(Type type, string yamlName) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p =>
            p.CanWrite && (p.GetCustomAttribute<YamlMemberAttribute>()?.Alias ?? UnderscoredNamingConvention.Instance.Apply(p.Name)) == yamlName);

    private static bool IsSection(Type type) => type.IsClass && type != typeof(string) && ElementOf(type) is null;

    private static Type? ElementOf(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericArguments() is [var element] && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? element
        : null;

    /// <summary>Null for a type with a converter of its own (a duration), whose message already says what it takes.</summary>
    private static string? Expected(Type type)
    {
        if (type == typeof(TimeSpan))
            return null;
        if (type == typeof(bool))
            return "true or false";
        if (type == typeof(int) || type == typeof(long))
            return "a whole number";
        if (type == typeof(string))
            return "a single value";
        if (type.IsEnum)
            return "one of " + string.Join(", ", Enum.GetNames(type).Select(n => UnderscoredNamingConvention.Instance.Apply(n)));
        if (ElementOf(type) is { } element)
            return element == typeof(string) ? "a list of values, e.g. [a, b]" : "a list of mappings (- key: value)";
        return "a mapping (key: value)";
    }
}
