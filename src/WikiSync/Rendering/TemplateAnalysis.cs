using Scriban;
using Scriban.Syntax;

namespace WikiSync.Rendering;

/// <summary>
/// Which parts of the <see cref="RenderContext"/> a template reads, from its syntax tree, so its renders can be
/// fingerprinted by what they depend on (a project's section does not change because another project did).
/// Null for a template whose output is not a function of what it reads: one that uses Scriban's clock or random
/// numbers (<c>date.now</c>, <c>math.random</c>), evaluates text as a template (<c>object.eval</c>,
/// <c>include</c>), reads all globals (<c>this</c>), or hands those built-in objects around where they could be
/// used unseen. Such a template is rendered every time. A Scriban upgrade may add builtins of that kind: the
/// golden tests stop on a new Scriban version until someone has looked (Golden/scriban-version.txt).
/// </summary>
internal static class TemplateAnalysis
{
    private static readonly HashSet<(string Owner, string Member)> Impure =
    [
        ("date", "now"), ("math", "random"), ("object", "eval"), ("object", "eval_template"),
    ];

    public static TemplateReads? ReadsOf(Template template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var reads = TemplateReads.None;
        return Visit(template.Page, ref reads) ? reads : null;
    }

    private static bool Visit(ScriptNode? node, ref TemplateReads reads)
    {
        switch (node)
        {
            case null:
                return true;
            case ScriptThisExpression:
                return false;
            case ScriptAssignExpression { Target: ScriptVariableGlobal { Name: "sal" or "wiki" or "now" } }:
                // A template that replaces a helper object (or the clock) could make the call below mean something else.
                return false;
            case ScriptFunctionCall { Target: ScriptMemberExpression { Target: ScriptVariableGlobal { Name: "sal" }, Member.Name: "recent" } } call
                when call.Arguments.Count == 3 && call.Arguments[2] is ScriptVariableGlobal { Name: "now" }:
                // sal.recent looks only at the UTC date of its clock (SalFunctions.Recent).
                reads |= TemplateReads.Today;
                return Visit(call.Arguments[0], ref reads) && Visit(call.Arguments[1], ref reads);
            case ScriptMemberExpression { Target: ScriptVariableGlobal { Name: "date" or "math" or "object" } owner, Member: { } member }:
                return !Impure.Contains((owner.Name, member.Name));
            case ScriptMemberExpression member:
                // The member is a name (e.g. day.date), not a read of a variable of that name.
                return Visit(member.Target, ref reads);
            case ScriptVariableGlobal global:
                switch (global.Name)
                {
                    case "project": reads |= TemplateReads.Project; break;
                    case "projects": reads |= TemplateReads.Projects; break;
                    case "entries": reads |= TemplateReads.Entries; break;
                    case "now": reads |= TemplateReads.Now; break;
                    case "page": reads |= TemplateReads.Page; break;
                    case "parameters": reads |= TemplateReads.Parameters; break;
                    case "date" or "math" or "object" or "include" or "include_join": return false;
                }
                break;
        }

        for (var i = 0; i < node.ChildrenCount; i++)
        {
            if (!Visit(node.GetChildren(i), ref reads))
                return false;
        }
        return true;
    }
}
