using System.Text.Json;
using WikiSync.Model;

namespace WikiSync.Sources.OpenStack;

/// <summary>One effective role of a user on a project, from <c>GET /v3/role_assignments?effective&amp;include_names</c>.</summary>
public sealed record KeystoneRoleAssignment(string ProjectId, string UserId, string UserName, string Role);

/// <summary>
/// Reads Keystone's project list and role assignments, and makes members of the assignments: one member a
/// user, with every role it holds on the project and the strongest of them as the one a page shows.
/// </summary>
public static class KeystoneListings
{
    /// <summary>The projects of one page of <c>GET /v3/projects</c>; an entry without an id is skipped, a domain acting as a project too.</summary>
    /// <exception cref="SourceException">The page has no <c>projects</c> list.</exception>
    public static IEnumerable<KeystoneProject> Projects(JsonElement page)
    {
        if (page.ValueKind != JsonValueKind.Object || !page.TryGetProperty("projects", out var list) || list.ValueKind != JsonValueKind.Array)
            throw new SourceException("Keystone answered GET /v3/projects without a \"projects\" list");
        foreach (var p in list.EnumerateArray())
        {
            if (KeystoneClient.Text(p, "id") is not { } id || Flag(p, "is_domain", false))
                continue;
            yield return new KeystoneProject(id, KeystoneClient.Text(p, "name") ?? id, KeystoneClient.Text(p, "description") ?? "",
                Flag(p, "enabled", true));
        }
    }

    /// <summary>
    /// The project-scoped user assignments of one page of role assignments. With <c>effective</c> Keystone has
    /// already replaced each group by its members and added the implied roles (admin implies member implies
    /// reader on a bootstrapped cloud); domain and system assignments say nothing about a project and are skipped.
    /// </summary>
    /// <exception cref="SourceException">The page has no <c>role_assignments</c> list.</exception>
    public static IEnumerable<KeystoneRoleAssignment> RoleAssignments(JsonElement page)
    {
        if (page.ValueKind != JsonValueKind.Object || !page.TryGetProperty("role_assignments", out var list) || list.ValueKind != JsonValueKind.Array)
            throw new SourceException("Keystone answered GET /v3/role_assignments without a \"role_assignments\" list");
        foreach (var a in list.EnumerateArray())
        {
            if (a.ValueKind != JsonValueKind.Object
                || !a.TryGetProperty("scope", out var scope) || !scope.TryGetProperty("project", out var project)
                || KeystoneClient.Text(project, "id") is not { } projectId
                || !a.TryGetProperty("user", out var user) || KeystoneClient.Text(user, "id") is not { } userId
                || !a.TryGetProperty("role", out var role) || (KeystoneClient.Text(role, "name") ?? KeystoneClient.Text(role, "id")) is not { } roleName)
                continue;
            yield return new KeystoneRoleAssignment(projectId, userId, KeystoneClient.Text(user, "name") ?? userId, roleName);
        }
    }

    /// <summary>The members of each project (by project id): one per user, roles strongest first, admins first, then by name.</summary>
    public static Dictionary<string, List<Member>> MembersByProject(IEnumerable<KeystoneRoleAssignment> assignments) =>
        assignments
            .GroupBy(a => a.ProjectId, StringComparer.Ordinal)
            .ToDictionary(
                project => project.Key,
                project => project
                    .GroupBy(a => a.UserId, StringComparer.Ordinal)
                    .Select(user =>
                    {
                        var roles = user.Select(a => a.Role).Distinct(StringComparer.OrdinalIgnoreCase).Order(RoleStrength).ToList();
                        return new Member(user.First().UserName, roles[0]) { Roles = roles };
                    })
                    .OrderBy(m => m.Role, RoleStrength)
                    .ThenBy(m => m.User, StringComparer.Ordinal)
                    .ToList(),
                StringComparer.Ordinal);

    /// <summary>admin, then member, then reader, then any other role alphabetically: the strongest sorts first.</summary>
    public static IComparer<string> RoleStrength { get; } = Comparer<string>.Create((a, b) =>
    {
        var rank = Rank(a).CompareTo(Rank(b));
        return rank != 0 ? rank : StringComparer.OrdinalIgnoreCase.Compare(a, b);
    });

    private static int Rank(string role) => role.ToLowerInvariant() switch
    {
        "admin" => 0,
        "member" => 1,
        "reader" => 2,
        _ => 3,
    };

    private static bool Flag(JsonElement element, string name, bool missing) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => missing,
        } : missing;
}
