using System.Globalization;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace WikiSync.Rendering;

/// <summary>
/// A Scriban context where every <c>{{ value }}</c> is escaped for wikitext. Literal template text is
/// written by Scriban through the non-virtual <c>Write(string)</c>, so only expression output comes here.
/// </summary>
internal sealed class EscapingTemplateContext : TemplateContext
{
    public EscapingTemplateContext()
        : base(SharedBuiltins.Object)
    {
        StrictVariables = true;
        // A typo in a member name is an error with file:line:column, not an empty cell.
        EnableRelaxedMemberAccess = false;
        // SAL pages loop over thousands of entries; the default limit of 1000 would cut them off.
        LoopLimit = 0;
        RecursiveLimit = 100;
        PushCulture(CultureInfo.InvariantCulture);
        NewLine = "\n";
    }

    protected override IObjectAccessor? GetMemberAccessorImpl(object target) =>
        CompiledMemberAccessor.Faster(this, target, base.GetMemberAccessorImpl(target));

    public override TemplateContext Write(SourceSpan span, object? textAsObject) => textAsObject switch
    {
        null => this,
        RawWikitext raw => Write(raw.Value),
        string s => Write(WikiEscape.Escape(s)),
        // Numbers, booleans and times cannot carry markup; written plainly they stay readable in the source.
        DateTimeOffset or DateTime or bool or int or long or double or decimal or float => Write(ObjectToString(textAsObject) ?? ""),
        _ => Write(WikiEscape.Escape(ObjectToString(textAsObject))),
    };

    public override string? ObjectToString(object? value, bool nested = false) => value switch
    {
        DateTimeOffset d => WikiFunctions.FormatDateTime(d),
        DateTime d => WikiFunctions.FormatDateTime(new DateTimeOffset(DateTime.SpecifyKind(d, d.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : d.Kind))),
        RawWikitext raw => raw.Value,
        _ => base.ObjectToString(value, nested),
    };
}

/// <summary>For page titles: nothing is escaped (the result is checked as a title instead).</summary>
internal sealed class PlainTemplateContext : TemplateContext
{
    public PlainTemplateContext()
        : base(SharedBuiltins.Object)
    {
        StrictVariables = true;
        EnableRelaxedMemberAccess = false;
        LoopLimit = 10_000;
        PushCulture(CultureInfo.InvariantCulture);
        NewLine = "\n";
    }

    protected override IObjectAccessor? GetMemberAccessorImpl(object target) =>
        CompiledMemberAccessor.Faster(this, target, base.GetMemberAccessorImpl(target));

    public override string? ObjectToString(object? value, bool nested = false) => value switch
    {
        DateTimeOffset d => WikiFunctions.FormatDateTime(d),
        RawWikitext raw => raw.Value,
        _ => base.ObjectToString(value, nested),
    };
}

/// <summary>
/// Scriban's built-in functions (array, string, date...), built once: a context made without them builds
/// its own set, which cost most of a render (issue 6's benchmark: 122 µs of a 20-row table). They hold no
/// state and templates cannot change them (globals are pushed on top), so every render shares one set.
/// </summary>
internal static class SharedBuiltins
{
    public static readonly Scriban.Runtime.ScriptObject Object = Build();

    private static Scriban.Runtime.ScriptObject Build()
    {
        var builtins = Scriban.TemplateContext.GetDefaultBuiltinObject();
        if (builtins["array"] is Scriban.Runtime.ScriptObject array && array["sort"] is Scriban.Runtime.IScriptCustomFunction sort)
            array.SetValue("sort", new FastSort(sort), readOnly: true);
        builtins.IsReadOnly = true;
        return builtins;
    }
}
