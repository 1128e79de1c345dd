using System.Linq.Expressions;
using System.Reflection;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace WikiSync.Rendering;

/// <summary>
/// A static <c>wiki.*</c>/<c>sal.*</c> helper called through compiled delegates that read the arguments
/// where they are. Scriban's own path for imported methods copies them into a pooled array, converts each
/// through <c>TemplateContext.ToObject</c> and calls the method by reflection, which was most of a helper
/// call's cost (issue 6: 40 calls in a 20-row table). The conversions are the same: an <c>object</c>
/// parameter gets the value as it is (what <c>ToObject</c> does for it unless the value converts itself),
/// any other type goes through <c>ToObject</c>, a missing optional argument gets its default. Argument
/// checks, named arguments and error messages stay Scriban's (they happen before <see cref="Invoke"/>).
/// </summary>
internal sealed class CompiledHelper : DelegateCustomFunction
{
    private static readonly MethodInfo s_toObject =
        typeof(TemplateContext).GetMethod(nameof(TemplateContext.ToObject), [typeof(SourceSpan), typeof(object), typeof(Type)])!;

    private static readonly MethodInfo s_asIs = typeof(CompiledHelper).GetMethod(nameof(AsIs), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly Func<TemplateContext, SourceSpan, ScriptArray, int, object?> _fromScriptArray;
    private readonly Func<TemplateContext, SourceSpan, object?[], int, object?> _fromArray;

    public CompiledHelper(MethodInfo method)
        : base(null, method)
    {
        var item = typeof(ScriptArray).GetProperty("Item", [typeof(int)])!;
        _fromScriptArray = Compile<ScriptArray>(method, (args, i) => Expression.Property(args, item, i));
        _fromArray = Compile<object?[]>(method, Expression.ArrayIndex);
    }

    /// <summary>Calls the helper with the first <paramref name="count"/> values of <paramref name="arguments"/>, already checked against its parameters.</summary>
    public object? Call(TemplateContext context, SourceSpan span, object?[] arguments, int count) => _fromArray(context, span, arguments, count);

    public override object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
        _fromScriptArray(context, callerContext?.Span ?? context.CurrentSpan, arguments, arguments.Count);

    public override ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
        new(Invoke(context, callerContext, arguments, blockStatement));

    private static Func<TemplateContext, SourceSpan, TArgs, int, object?> Compile<TArgs>(MethodInfo method, Func<Expression, Expression, Expression> read)
    {
        var context = Expression.Parameter(typeof(TemplateContext), "context");
        var span = Expression.Parameter(typeof(SourceSpan), "span");
        var args = Expression.Parameter(typeof(TArgs), "args");
        var count = Expression.Parameter(typeof(int), "count");
        var parameters = method.GetParameters().Select((p, i) =>
        {
            var value = read(args, Expression.Constant(i));
            Expression converted = p.ParameterType == typeof(object)
                ? Expression.Call(s_asIs, context, span, value)
                : Expression.Convert(Expression.Call(context, s_toObject, span, value, Expression.Constant(p.ParameterType, typeof(Type))), p.ParameterType);
            Expression missing = p.HasDefaultValue
                ? Expression.Convert(Expression.Constant(p.DefaultValue, typeof(object)), p.ParameterType)
                : Expression.Default(p.ParameterType);
            return (Expression)Expression.Condition(Expression.LessThan(Expression.Constant(i), count), converted, missing);
        });
        var call = Expression.Convert(Expression.Call(method, parameters), typeof(object));
        return Expression.Lambda<Func<TemplateContext, SourceSpan, TArgs, int, object?>>(call, context, span, args, count).Compile();
    }

    private static object? AsIs(TemplateContext context, SourceSpan span, object? value) =>
        value is IScriptConvertibleTo ? context.ToObject(span, value, typeof(object)) : value;
}
