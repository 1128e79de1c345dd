namespace WikiSync.Model;

/// <summary>A person in a project. <see cref="DisplayName"/> is what a directory knows the user as, if anything.</summary>
public sealed record Member(string User, string Role, string? DisplayName = null);
