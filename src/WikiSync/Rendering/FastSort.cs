using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace WikiSync.Rendering;

/// <summary>
/// Scriban's <c>array.sort list "member"</c> with the comparisons made on cached culture sort keys. Scriban
/// compares string keys with <c>string.CompareTo</c> (the current culture's collation, through ICU) at each
/// of the ~90 comparisons a 20-item sort makes, which was the dearest single part of issue 6's table. A sort
/// key orders exactly as that comparison does (that is what a sort key is), and keys are cached per string,
/// so a page rendered again costs a few byte comparisons. Only lists whose sort values are all strings take
/// this path, in the same stable order (OrderBy, as Scriban); everything else — other key types, nulls,
/// member paths, loop limits — is handed to Scriban's own function with its arguments untouched.
/// </summary>
internal sealed class FastSort : IScriptCustomFunction
{
    private static readonly ConditionalWeakTable<string, Keyed> s_keys = new();

    private readonly IScriptCustomFunction _scriban;

    public FastSort(IScriptCustomFunction scriban) => _scriban = scriban;

    public object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
        TrySort(context, callerContext, arguments) ?? _scriban.Invoke(context, callerContext, arguments, blockStatement);

    public ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
        TrySort(context, callerContext, arguments) is { } sorted ? new(sorted) : _scriban.InvokeAsync(context, callerContext, arguments, blockStatement);

    public int RequiredParameterCount => _scriban.RequiredParameterCount;

    public int ParameterCount => _scriban.ParameterCount;

    public ScriptVarParamKind VarParamKind => _scriban.VarParamKind;

    public Type ReturnType => _scriban.ReturnType;

    public ScriptParameterInfo GetParameterInfo(int index) => _scriban.GetParameterInfo(index);

    private static ScriptArray? TrySort(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments)
    {
        // Scriban counts each item against the loop limit and may look members up through TryGetMember.
        if (arguments.Count != 2 || arguments[0] is not IList list || list.Count < 2 || arguments[1] is not string { Length: > 0 } member ||
            member.Contains('.', StringComparison.Ordinal) || context.LoopLimit != 0 || context.LoopLimitQueryable is not null || context.TryGetMember is not null)
            return null;
        var span = callerContext?.Span ?? context.CurrentSpan;
        var compare = CultureInfo.CurrentCulture.CompareInfo;
        var items = new Entry[list.Count];
        for (var i = 0; i < items.Length; i++)
        {
            context.CheckAbort();
            var item = list[i];
            if (item is null || !context.GetMemberAccessor(item).TryGetValue(context, span, item, member, out var value) || value is not string text)
                return null;
            items[i] = new Entry(item, KeyOf(compare, text), i);
        }

        // Equal keys keep their order, as in Scriban's OrderBy.
        Array.Sort(items, static (a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key) is var c && c != 0 ? c : a.Index.CompareTo(b.Index));
        var sorted = new List<object>(items.Length);
        foreach (var entry in items)
            sorted.Add(entry.Item);
        return new ScriptArray(sorted);
    }

    private static byte[] KeyOf(CompareInfo compare, string text)
    {
        if (s_keys.TryGetValue(text, out var keyed) && ReferenceEquals(keyed.Compare, compare))
            return keyed.Key;
        var key = compare.GetSortKey(text).KeyData;
        s_keys.AddOrUpdate(text, new Keyed(compare, key));
        return key;
    }

    private sealed record Keyed(CompareInfo Compare, byte[] Key);

    private readonly record struct Entry(object Item, byte[] Key, int Index);
}
