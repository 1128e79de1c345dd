namespace WikiSync.Wiki;

/// <summary>Who the wiki thinks we are (meta=userinfo).</summary>
public sealed record UserInfo(string Name, long Id, bool IsAnonymous, IReadOnlyList<string> Groups, IReadOnlyList<string> Rights)
{
    public bool HasRight(string right) => Rights.Contains(right, StringComparer.Ordinal);
}
