using System.Collections;
using System.Runtime.CompilerServices;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace WikiSync.Rendering;

/// <summary>
/// A <c>for</c> loop whose body is only text and <c>{{ item }}</c>, <c>{{ item.member }}</c> or
/// <c>{{ wiki.helper arg... }}</c> cells (arguments: literals, the item or its members), run without
/// Scriban's interpreter: a table row's cells cost a fraction of what Scriban spends on each (issue 6's
/// 20-row table). The body is written exactly as Scriban's block statement writes it (same indentation
/// bookkeeping, same <c>Write</c> calls, so escaping is untouched). Anything the shortcut cannot reproduce
/// exactly — a null, a missing member, a function where a value was expected, a helper that throws —
/// abandons it with <see cref="FastPathAbandoned"/>, and the whole template is rendered again by Scriban
/// alone, so errors read as they always did. Loops of any other shape are Scriban's.
/// </summary>
internal sealed class CompiledLoop
{
    private static readonly ConditionalWeakTable<ScriptForStatement, StrongBox<CompiledLoop?>> s_loops = new();

    private readonly ScriptForStatement _loop;
    private readonly ScriptBlockStatement _body;
    private readonly Step[] _steps;
    private readonly (ScriptVariableGlobal Owner, string Name)[] _helpers;
    private readonly int _members;

    private CompiledLoop(ScriptForStatement loop, ScriptBlockStatement body, Step[] steps, (ScriptVariableGlobal, string)[] helpers, int members)
    {
        _loop = loop;
        _body = body;
        _steps = steps;
        _helpers = helpers;
        _members = members;
    }

    /// <summary>The compiled form of the loop, or null when its shape is not one this class reproduces.</summary>
    public static CompiledLoop? Of(ScriptForStatement loop) => s_loops.GetValue(loop, static l => new StrongBox<CompiledLoop?>(Compile(l))).Value;

    private static CompiledLoop? Compile(ScriptForStatement loop)
    {
        if (loop.GetType() != typeof(ScriptForStatement) || loop.NamedArguments is { Count: > 0 } || loop.Else is not null || loop.SetContinue ||
            loop.Variable is not (ScriptVariableGlobal or ScriptVariableLocal) || loop.Body is not { } body ||
            loop.Iterator is not (ScriptVariableGlobal or ScriptVariableLocal or ScriptMemberExpression))
            return null;
        var item = (ScriptVariable)loop.Variable;
        var helpers = new List<(ScriptVariableGlobal, string)>();
        var steps = new Step[body.Statements.Count];
        for (var s = 0; s < steps.Length; s++)
        {
            switch (body.Statements[s])
            {
                case ScriptEscapeStatement { CanSkipEvaluation: true } escape:
                    steps[s] = new Step(escape, StepKind.Escape, null, -1, [], escape.Indent, Entering: escape.IsEntering);
                    break;
                case ScriptStatement { CanSkipEvaluation: true } skipped:
                    steps[s] = new Step(skipped, StepKind.Skip, null, -1, []);
                    break;
                case ScriptRawStatement raw:
                    steps[s] = new Step(raw, StepKind.Raw, null, -1, []);
                    break;
                case ScriptExpressionStatement { Expression: { } e, CanOutput: true } statement when Value(e, item) is { } value:
                    steps[s] = value with { Statement = statement };
                    break;
                case ScriptExpressionStatement { Expression: ScriptFunctionCall call, CanOutput: true } statement when Call(call, item, helpers) is { } step:
                    steps[s] = step with { Statement = statement };
                    break;
                default:
                    return null;
            }
        }

        // Each member read gets a slot for its compiled getter (see AccessorCache).
        var members = 0;
        for (var s = 0; s < steps.Length; s++)
            steps[s] = Numbered(steps[s], ref members);
        return new CompiledLoop(loop, body, steps, [.. helpers], members);
    }

    private static Step Numbered(Step step, ref int members)
    {
        if (step.Kind == StepKind.Member)
            return step with { Slot = members++ };
        for (var i = 0; i < step.Args.Length; i++)
            step.Args[i] = Numbered(step.Args[i], ref members);
        return step;
    }

    // `item` or `item.member`.
    private static Step? Value(ScriptExpression e, ScriptVariable item) => e switch
    {
        ScriptVariableGlobal or ScriptVariableLocal when IsItem(e, item) => new Step(null!, StepKind.Item, null, -1, []),
        ScriptMemberExpression { Member: { } m } member when IsItem(member.Target, item) && member.DotToken.TokenType == Scriban.Parsing.TokenType.Dot =>
            new Step(null!, StepKind.Member, m, -1, []),
        _ => null,
    };

    // The same name in the same scope (`i` and `$i` are different variables).
    private static bool IsItem(ScriptExpression? e, ScriptVariable item) =>
        e is ScriptVariableGlobal or ScriptVariableLocal && ((ScriptVariable)e).Name == item.Name && ((ScriptVariable)e).Scope == item.Scope;

    // `owner.helper arg...` with arguments that are literals, the item or its members.
    private static Step? Call(ScriptFunctionCall call, ScriptVariable item, List<(ScriptVariableGlobal, string)> helpers)
    {
        if (call.Target is not ScriptMemberExpression { Target: ScriptVariableGlobal owner, Member: { } name } target ||
            target.DotToken.TokenType != Scriban.Parsing.TokenType.Dot || owner.Name == item.Name || call.Arguments.Count > 4)
            return null;
        var args = new Step[call.Arguments.Count];
        for (var i = 0; i < args.Length; i++)
        {
            if (call.Arguments[i] is ScriptLiteral literal)
                args[i] = new Step(null!, StepKind.Literal, null, -1, [], literal.Value);
            else if (Value(call.Arguments[i], item) is { } value)
                args[i] = value;
            else
                return null;
        }

        helpers.Add((owner, name.Name));
        return new Step(null!, StepKind.Helper, null, helpers.Count - 1, args);
    }

    /// <summary>
    /// Runs the loop and returns what Scriban's would (null), or returns false before writing anything when
    /// this context or these values are not for the shortcut.
    /// </summary>
    public bool TryRun(TemplateContext context, object?[] scratch)
    {
        if (context.LoopLimit != 0 || context.LoopLimitQueryable is not null || !context.EnableOutput || context.UseScientific)
            return false;
        CompiledHelper[] functions;
        IEnumerable items;
        try
        {
            // Looked up once, as Scriban would find them at each call: the body cannot change them.
            functions = new CompiledHelper[_helpers.Length];
            for (var h = 0; h < _helpers.Length; h++)
            {
                var (owner, name) = _helpers[h];
                if (context.GetValue(owner) is not ScriptObject o || !o.TryGetValue(context, owner.Span, name, out var f) || f is not CompiledHelper helper)
                    return false;
                functions[h] = helper;
            }

            // A wrong number of arguments is Scriban's to report.
            foreach (var step in _steps)
            {
                if (step.Kind == StepKind.Helper &&
                    (step.Args.Length < functions[step.Helper].RequiredParameterCount || step.Args.Length > functions[step.Helper].ParameterCount))
                    return false;
            }

            if (context.Evaluate(_loop.Iterator!) is not IEnumerable enumerable || enumerable is IQueryable)
                return false;
            items = enumerable;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Nothing is written yet: Scriban runs the loop and reports the problem its own way.
            return false;
        }

        var accessors = new AccessorCache(_members);
        foreach (var item in items)
        {
            if (item is IScriptCustomFunction)
                throw new FastPathAbandoned();
            RunBody(context, item, functions, scratch, ref accessors);
        }

        return true;
    }

    // ScriptBlockStatement.Evaluate, for a body without flow control. Scriban checks for cancellation and
    // stack room before each statement; once a row is enough here (a row is a few writes, and a render
    // that is cancelled fails either way).
    private void RunBody(TemplateContext context, object? item, CompiledHelper[] functions, object?[] scratch, ref AccessorCache accessors)
    {
        var autoIndent = context.AutoIndent;
        var indent = context.CurrentIndent;
        var current = indent;
        context.CheckAbort();
        try
        {
            foreach (var step in _steps)
            {
                switch (step.Kind)
                {
                    case StepKind.Escape:
                        // Entering `{{` (Literal holds its indent) or leaving `}}`, as Scriban tracks them.
                        if (autoIndent)
                            current = step.Entering ? (string?)step.Literal : indent;
                        continue;
                    case StepKind.Skip:
                        continue;
                    case StepKind.Raw:
                        // Writes its text itself and returns null while output is on (checked in TryRun).
                        context.CurrentIndent = current;
                        step.Statement.Evaluate(context);
                        continue;
                }

                context.CurrentIndent = current;
                var value = Evaluate(context, step, item, functions, scratch, ref accessors);
                if (value is ScriptNode)
                    throw new FastPathAbandoned();
                if (value is not null)
                    context.Write(_body.Span, value);
            }
        }
        finally
        {
            context.CurrentIndent = indent;
        }
    }

    private static object? Evaluate(TemplateContext context, Step step, object? item, CompiledHelper[] functions, object?[] scratch, ref AccessorCache accessors)
    {
        switch (step.Kind)
        {
            case StepKind.Item:
                return item;
            case StepKind.Literal:
                return step.Literal;
            case StepKind.Member:
                if (item is null)
                    throw new FastPathAbandoned();
                object? value;
                if (accessors.Getter(context, item, step.Slot, step.Member!.Name) is { } get)
                    value = get(item);
                else if (!accessors.Of(context, item).TryGetValue(context, step.Member.Span, item, step.Member.Name, out value))
                    throw new FastPathAbandoned();
                if (value is IScriptCustomFunction)
                    throw new FastPathAbandoned();
                return value;
            default:
                var args = step.Args;
                for (var i = 0; i < args.Length; i++)
                {
                    var arg = Evaluate(context, args[i], item, functions, scratch, ref accessors);
                    if (arg is IScriptConvertibleTo)
                        throw new FastPathAbandoned();
                    scratch[i] = arg;
                }

                try
                {
                    return functions[step.Helper].Call(context, step.Statement.Span, scratch, args.Length);
                }
                catch (Exception e) when (e is not FastPathAbandoned)
                {
                    throw new FastPathAbandoned(e);
                }
                finally
                {
                    Array.Clear(scratch, 0, args.Length);
                }
        }
    }

    // The rows of a table are nearly always of one type: its member accessor, and the compiled getter of
    // each member the body reads, are looked up once per loop instead of once per cell.
    private struct AccessorCache(int members)
    {
        private readonly Func<object, object?>?[] _getters = new Func<object, object?>?[members];
        private Type? _type;
        private IObjectAccessor? _accessor;

        public IObjectAccessor Of(TemplateContext context, object item)
        {
            var type = item.GetType();
            if (type != _type)
            {
                (_type, _accessor) = (type, context.GetMemberAccessor(item));
                Array.Clear(_getters);
            }

            return _accessor!;
        }

        /// <summary>The compiled getter of the member in this slot, or null when the accessor has none.</summary>
        public Func<object, object?>? Getter(TemplateContext context, object item, int slot, string member) =>
            Of(context, item) is CompiledMemberAccessor compiled ? _getters[slot] ??= compiled.GetterOf(member) : null;
    }

    private enum StepKind
    {
        Escape,
        Skip,
        Raw,
        Item,
        Member,
        Literal,
        Helper,
    }

    private sealed record Step(ScriptStatement Statement, StepKind Kind, ScriptVariable? Member, int Helper, Step[] Args, object? Literal = null, int Slot = -1, bool Entering = false);
}

/// <summary>A shortcut met something only Scriban reproduces exactly: the template is rendered again by Scriban alone.</summary>
internal sealed class FastPathAbandoned : ScriptRuntimeException
{
    public FastPathAbandoned(Exception? inner = null)
        : base(default, "rendering shortcut abandoned", inner)
    {
    }
}
