namespace WikiSync.Model;

/// <summary>
/// A person in a project. <see cref="DisplayName"/> is what a directory knows the user as, if anything.
/// <see cref="Role"/> is the one role a page shows; <see cref="Roles"/> every role the source knows the
/// person by (Keystone: each role assigned, implied ones included), <c>[Role]</c> unless a source says more.
/// </summary>
public sealed record Member(string User, string Role, string? DisplayName = null)
{
    private readonly IReadOnlyList<string>? _roles;

    public IReadOnlyList<string> Roles
    {
        get => _roles ?? [Role];
        init => _roles = value;
    }
}
