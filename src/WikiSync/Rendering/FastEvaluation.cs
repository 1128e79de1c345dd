using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;
using Scriban.Syntax;

namespace WikiSync.Rendering;

/// <summary>
/// Shortcuts for the two expressions a table row is made of: <c>{{ i.name }}</c> and <c>{{ wiki.cell i.puppet }}</c>.
/// Scriban evaluates each through several layers (value-level bookkeeping, argument arrays, parameter
/// matching, local scopes for the call) that cost far more than the read or the helper itself (issue 6:
/// a 20-row table has 100 member cells and 40 helper calls). A shortcut only takes a shape whose result it
/// can compute exactly as Scriban would; anything else — and anything that goes wrong, so that every error
/// is Scriban's own message at Scriban's position — is left to Scriban, which evaluates the node again
/// from the start. That is safe because the shapes taken have no side effects: variable and member reads,
/// literals, and <c>wiki.*</c>/<c>sal.*</c> helpers, which only compute a value.
/// </summary>
internal static class FastEvaluation
{
    /// <summary>The value of <paramref name="node"/>, or false when Scriban should evaluate it.</summary>
    public static bool TryEvaluate(TemplateContext context, ScriptNode node, object?[] scratch, out object? value)
    {
        try
        {
            switch (node)
            {
                case ScriptMemberExpression member:
                    return TryMember(context, member, out value);
                case ScriptFunctionCall call:
                    return TryHelperCall(context, call, scratch, out value);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Scriban evaluates it again and reports the problem in its own words.
        }

        value = null;
        return false;
    }

    /// <summary><c>variable.member</c> on an object: what <c>ScriptMemberExpression.GetValue</c> returns.</summary>
    private static bool TryMember(TemplateContext context, ScriptMemberExpression node, out object? value)
    {
        value = null;
        if (node is not { Target: ScriptVariableGlobal or ScriptVariableLocal, Member: { } member } || node.DotToken.TokenType != TokenType.Dot)
            return false;
        var target = context.GetValue((ScriptVariable)node.Target);
        // Null targets are errors (or relaxed-access nulls); functions are called by Scriban when read.
        if (target is null or IScriptCustomFunction)
            return false;
        if (!context.GetMemberAccessor(target).TryGetValue(context, member.Span, target, member.Name, out value))
            return false;
        return value is not IScriptCustomFunction;
    }

    /// <summary><c>wiki.name arg...</c> / <c>sal.name arg...</c> with plain positional arguments.</summary>
    private static bool TryHelperCall(TemplateContext context, ScriptFunctionCall node, object?[] scratch, out object? value)
    {
        value = null;
        if (node.Target is not ScriptMemberExpression { Target: ScriptVariableGlobal owner, Member: { } name } target ||
            target.DotToken.TokenType != TokenType.Dot || context.UseScientific || !OutsidePipeAndWrap(node))
            return false;
        var arguments = node.Arguments;
        if (arguments.Count > scratch.Length || context.GetValue(owner) is not ScriptObject helpers ||
            !helpers.TryGetValue(context, name.Span, name.Name, out var function) || function is not CompiledHelper helper ||
            arguments.Count < helper.RequiredParameterCount || arguments.Count > helper.ParameterCount)
            return false;
        for (var i = 0; i < arguments.Count; i++)
        {
            switch (arguments[i])
            {
                case ScriptLiteral literal:
                    scratch[i] = literal.Value;
                    break;
                case ScriptMemberExpression member when TryMember(context, member, out var read) && read is not IScriptConvertibleTo:
                    scratch[i] = read;
                    break;
                case ScriptVariableGlobal or ScriptVariableLocal:
                    var variable = context.GetValue((ScriptVariable)arguments[i]);
                    if (variable is IScriptCustomFunction or IScriptConvertibleTo)
                        return false;
                    scratch[i] = variable;
                    break;
                default:
                    return false;
            }
        }

        try
        {
            value = helper.Call(context, node.Span, scratch, arguments.Count);
        }
        finally
        {
            Array.Clear(scratch, 0, arguments.Count);
        }

        return true;
    }

    // A call inside a pipe (`x | wiki.cell`) takes the piped value as its first argument, and one under
    // `wrap` takes the block: Scriban handles both.
    private static bool OutsidePipeAndWrap(ScriptNode node)
    {
        for (var parent = node.Parent; parent is not null and not ScriptStatement; parent = parent.Parent)
        {
            if (parent is ScriptPipeCall)
                return false;
        }

        return node.Parent is not ScriptWrapStatement;
    }
}
