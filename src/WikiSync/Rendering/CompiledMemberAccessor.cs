using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Runtime.Accessors;

namespace WikiSync.Rendering;

/// <summary>
/// Scriban's <see cref="TypedObjectAccessor"/> with its reads done by compiled getters: the reflection
/// <c>PropertyInfo.GetValue</c> it uses was a large part of each <c>{{ i.name }}</c> cell (issue 6's
/// 20-row table has 100). Which members exist and what they are called stay Scriban's: the getters are
/// built for exactly the names the wrapped accessor lists, and everything else is handed to it.
/// </summary>
internal sealed class CompiledMemberAccessor : IObjectAccessor
{
    // Built once per type: every thread's context shares the compiled getters.
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Func<object, object?>>?> s_getters = new();

    private readonly TypedObjectAccessor _inner;
    private readonly IReadOnlyDictionary<string, Func<object, object?>> _getters;

    private CompiledMemberAccessor(TypedObjectAccessor inner, IReadOnlyDictionary<string, Func<object, object?>> getters)
    {
        _inner = inner;
        _getters = getters;
    }

    /// <summary>
    /// For a plain object (what Scriban reads by reflection) the faster accessor; any other accessor, and one
    /// whose members could not all be matched, is returned as it is.
    /// </summary>
    public static IObjectAccessor? Faster(TemplateContext context, object target, IObjectAccessor? accessor) =>
        accessor is TypedObjectAccessor typed && accessor.GetType() == typeof(TypedObjectAccessor) ? Wrap(context, target.GetType(), typed) : accessor;

    private static IObjectAccessor Wrap(TemplateContext context, Type type, TypedObjectAccessor inner)
    {
        // The member names depend on the context's renamer and filter; ours keep Scriban's defaults.
        if (context.MemberRenamer != StandardMemberRenamer.Default || context.MemberFilter is not null)
            return inner;
        var getters = s_getters.GetOrAdd(type, static (t, a) => Build(t, a.context, a.inner), (context, inner));
        return getters is null ? inner : new CompiledMemberAccessor(inner, getters);
    }

    private static Dictionary<string, Func<object, object?>>? Build(Type type, TemplateContext context, TypedObjectAccessor inner)
    {
        var getters = new Dictionary<string, Func<object, object?>>(StringComparer.Ordinal);
        var target = Expression.Parameter(typeof(object), "target");
        foreach (var name in inner.GetMembers(context, default, null!))
        {
            // The same search as TypedObjectAccessor: public instance fields and properties, the type first, then its bases.
            var member = Members(type).FirstOrDefault(m => StandardMemberRenamer.Default(m) is { Length: > 0 } n ? n == name : m.Name == name);
            if (member is null)
                return null;
            var read = Expression.PropertyOrField(Expression.Convert(target, type), member.Name);
            getters[name] = Expression.Lambda<Func<object, object?>>(Expression.Convert(read, typeof(object)), target).Compile();
        }

        return getters;
    }

    /// <summary>The members Scriban reads on a plain object: public instance fields and properties, the type first, then its bases.</summary>
    internal static IEnumerable<MemberInfo> Members(Type type)
    {
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (var f in t.GetFields(BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Public))
            {
                if (!f.IsLiteral && f.GetCustomAttribute<ScriptMemberIgnoreAttribute>() is null)
                    yield return f;
            }

            foreach (var p in t.GetProperties(BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Public))
            {
                if (p.GetIndexParameters().Length == 0 && p.GetMethod is { IsPublic: true, IsStatic: false } &&
                    p.GetCustomAttribute<ScriptMemberIgnoreAttribute>() is null)
                    yield return p;
            }
        }
    }

    public bool TryGetValue(TemplateContext context, SourceSpan span, object target, string member, out object? value)
    {
        if (_getters.TryGetValue(member, out var get))
        {
            value = get(target);
            return true;
        }

        value = null;
        return false;
    }

    public int GetMemberCount(TemplateContext context, SourceSpan span, object target) => _inner.GetMemberCount(context, span, target);

    public IEnumerable<string> GetMembers(TemplateContext context, SourceSpan span, object target) => _inner.GetMembers(context, span, target);

    public bool HasMember(TemplateContext context, SourceSpan span, object target, string member) => _inner.HasMember(context, span, target, member);

    public bool TrySetValue(TemplateContext context, SourceSpan span, object target, string member, object? value) =>
        _inner.TrySetValue(context, span, target, member, value);

    public bool TryGetItem(TemplateContext context, SourceSpan span, object target, object index, out object? value) =>
        _inner.TryGetItem(context, span, target, index, out value);

    public bool TrySetItem(TemplateContext context, SourceSpan span, object target, object index, object? value) =>
        _inner.TrySetItem(context, span, target, index, value);

    public bool HasIndexer => _inner.HasIndexer;

    public Type? IndexType => _inner.IndexType;
}
