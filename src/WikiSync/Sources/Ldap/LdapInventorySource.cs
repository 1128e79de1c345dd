using System.DirectoryServices.Protocols;
using System.Net;
using Microsoft.Extensions.Logging;
using WikiSync.Model;
using WikiSync.Redaction;

namespace WikiSync.Sources.Ldap;

/// <summary>
/// Projects and their members from LDAP: every group under the base DN is a project
/// (<c>groupOfNames</c> member DNs and <c>posixGroup</c> memberUid values alike); the display names of
/// all members are then read in one OR query (split only past <see cref="LdapOptions.LookupChunkSize"/>
/// users). Members named in the project's admin attribute get the role <c>projectadmin</c>, the others
/// <c>member</c>. The result has no instances; those come from the instance source.
/// </summary>
public sealed class LdapInventorySource : IInventorySource
{
    public const string AdminRole = "projectadmin";
    public const string MemberRole = "member";
    private const int PageSize = 500;

    private readonly LdapOptions _options;
    private readonly ILogger<LdapInventorySource> _log;
    private readonly Uri _url;

    /// <exception cref="SourceException">The options are incomplete; the message lists every problem.</exception>
    public LdapInventorySource(LdapOptions options, ILogger<LdapInventorySource> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
            throw new SourceException("the LDAP source is not usable: " + string.Join("; ", problems));
        _options = options;
        _log = log;
        _url = new Uri(options.Url!);
    }

    /// <summary>How many user lookups the last collection needed (tests check it is one).</summary>
    public int LastUserLookups { get; private set; }

    public string Describe() => $"ldap:{Server}/{_options.BaseDn}";

    public Task<Inventory> CollectAsync(CancellationToken cancellationToken) =>
        // LdapConnection is synchronous underneath; keep it off the caller's thread.
        Task.Run(() => Collect(cancellationToken), cancellationToken);

    private Inventory Collect(CancellationToken cancellationToken)
    {
        try
        {
            using var connection = Connect();
            var groups = ReadGroups(connection, cancellationToken);
            var users = LookUpUsers(connection, groups, cancellationToken);
            var projects = groups
                .Select(g => new Project(g.Name, g.Description, Members(g, users), []))
                .OrderBy(p => p.Name, StringComparer.Ordinal)
                .ToList();
            _log.LogInformation("LDAP listed {Projects} projects with {Members} memberships from {Base}",
                projects.Count, projects.Sum(p => p.Members.Count), _options.BaseDn);
            return new Inventory(projects);
        }
        catch (LdapException e)
        {
            throw new SourceException(Describe(e), e);
        }
        catch (DirectoryOperationException e)
        {
            throw new SourceException(Describe(e), e);
        }
        catch (DirectoryException e)
        {
            throw new SourceException($"LDAP server {Server} failed: {e.Message}", e);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or PlatformNotSupportedException)
        {
            throw new SourceException(
                "the LDAP client library could not be loaded (on Debian install libldap-2.5-0; scripts/install-deps.sh does): " + e.Message, e);
        }
    }

    private string Server => Redact.Url(_url.GetLeftPart(UriPartial.Authority));

    private string Describe(LdapException e) => e.ErrorCode switch
    {
        49 => $"LDAP server {Server} refused the credentials for {(string.IsNullOrEmpty(_options.BindDn) ? "an anonymous bind" : _options.BindDn)}",
        81 or 91 => $"LDAP server {Server} is unreachable ({e.Message})",
        87 => $"LDAP server {Server} refused a search filter (check ldap.group_filter and ldap.user_filter): {e.Message}",
        85 => $"LDAP server {Server} did not answer within {_options.TimeoutSeconds} s",
        _ => $"LDAP server {Server} failed: {e.Message} (code {e.ErrorCode})",
    };

    private string Describe(DirectoryOperationException e) => e.Response?.ResultCode switch
    {
        ResultCode.NoSuchObject => $"LDAP server {Server} has no entry {_options.BaseDn} (ldap.base_dn) or {_options.EffectiveUserBaseDn} (ldap.user_base_dn)",
        ResultCode.InsufficientAccessRights => $"LDAP server {Server} does not let {(_options.BindDn is { Length: > 0 } dn ? dn : "an anonymous bind")} read the projects",
        { } code => $"LDAP server {Server} answered {code}: {e.Response?.ErrorMessage ?? e.Message}",
        null => $"LDAP server {Server} failed: {e.Message}",
    };

    private LdapConnection Connect()
    {
        var port = _url.IsDefaultPort || _url.Port <= 0 ? (_url.Scheme == "ldaps" ? 636 : 389) : _url.Port;
        var connection = new LdapConnection(new LdapDirectoryIdentifier(_url.Host, port, false, false))
        {
            Timeout = TimeSpan.FromSeconds(_options.TimeoutSeconds),
        };
        try
        {
            connection.SessionOptions.ProtocolVersion = 3;
            connection.SessionOptions.ReferralChasing = ReferralChasingOptions.None;
            if (_url.Scheme == "ldaps")
                connection.SessionOptions.SecureSocketLayer = true;
            if (string.IsNullOrEmpty(_options.BindDn))
            {
                connection.AuthType = AuthType.Anonymous;
                connection.Bind();
            }
            else
            {
                connection.AuthType = AuthType.Basic;
                connection.Bind(new NetworkCredential(_options.BindDn, _options.BindPassword));
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private sealed record Group(string Dn, string Name, string Description, IReadOnlyList<string> MemberDns,
        IReadOnlyList<string> MemberUids, IReadOnlyList<string> Admins);

    private List<Group> ReadGroups(LdapConnection connection, CancellationToken cancellationToken)
    {
        var attributes = new[]
        {
            _options.GroupNameAttribute, _options.DescriptionAttribute, _options.MemberAttribute, _options.MemberUidAttribute,
        }.Concat(string.IsNullOrEmpty(_options.AdminAttribute) ? [] : [_options.AdminAttribute]).ToArray();
        var scope = _options.GroupScope == "sub" ? SearchScope.Subtree : SearchScope.OneLevel;
        var groups = new List<Group>();
        foreach (var entry in Search(connection, _options.BaseDn!, _options.GroupFilter, scope, attributes, cancellationToken))
        {
            var name = First(entry, _options.GroupNameAttribute);
            if (string.IsNullOrEmpty(name))
            {
                _log.LogWarning("LDAP group {Dn} has no {Attribute}; skipped", entry.DistinguishedName, _options.GroupNameAttribute);
                continue;
            }
            groups.Add(new Group(entry.DistinguishedName, name, First(entry, _options.DescriptionAttribute) ?? "",
                Values(entry, _options.MemberAttribute), Values(entry, _options.MemberUidAttribute),
                string.IsNullOrEmpty(_options.AdminAttribute) ? [] : Values(entry, _options.AdminAttribute)));
        }
        var duplicate = groups.GroupBy(g => g.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new SourceException($"LDAP has two projects named \"{duplicate.Key}\" under {_options.BaseDn}: " +
                string.Join(" and ", duplicate.Select(g => g.Dn)));
        }
        return groups;
    }

    private sealed record User(string Dn, string Id, string? DisplayName);

    /// <summary>One lookup for everyone the groups name: DN members by their first RDN, uid members by id.</summary>
    private Dictionary<string, User> LookUpUsers(LdapConnection connection, List<Group> groups, CancellationToken cancellationToken)
    {
        var terms = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            foreach (var dn in group.MemberDns.Concat(group.Admins.Where(IsDn)))
            {
                if (DistinguishedName.FirstRdn(dn) is { } rdn)
                    terms.Add(LdapFilter.Equal(rdn.Type, rdn.Value));
            }
            foreach (var uid in group.MemberUids.Concat(group.Admins.Where(a => !IsDn(a))))
                terms.Add(LdapFilter.Equal(_options.UserIdAttribute, uid));
        }
        var users = new Dictionary<string, User>(StringComparer.Ordinal);
        LastUserLookups = 0;
        var attributes = _options.DisplayNameAttributes.Append(_options.UserIdAttribute).ToArray();
        foreach (var chunk in terms.Chunk(_options.LookupChunkSize))
        {
            LastUserLookups++;
            var filter = LdapFilter.And(_options.UserFilter, LdapFilter.Or(chunk));
            foreach (var entry in Search(connection, _options.EffectiveUserBaseDn, filter, SearchScope.Subtree, attributes, cancellationToken))
            {
                var id = First(entry, _options.UserIdAttribute) ?? DistinguishedName.FirstRdn(entry.DistinguishedName)?.Value ?? entry.DistinguishedName;
                var display = _options.DisplayNameAttributes.Select(a => First(entry, a)).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
                var user = new User(entry.DistinguishedName, id, display);
                users[DnKey(entry.DistinguishedName)] = user;
                users.TryAdd(IdKey(id), user);
            }
        }
        return users;
    }

    private static bool IsDn(string value) => value.Contains('=', StringComparison.Ordinal) && DistinguishedName.Split(value).Count > 1;

    private static string DnKey(string dn) => "dn:" + DistinguishedName.Normalize(dn);

    private static string IdKey(string id) => "id:" + id.ToLowerInvariant();

    private List<Member> Members(Group group, Dictionary<string, User> users)
    {
        // A DN member the directory does not have (a deleted account) still shows, by its RDN value.
        User Resolve(string value) => IsDn(value)
            ? users.GetValueOrDefault(DnKey(value)) ?? new User(value, DistinguishedName.FirstRdn(value)?.Value ?? value, null)
            : users.GetValueOrDefault(IdKey(value)) ?? new User("", value, null);

        var admins = new HashSet<string>(group.Admins.Select(a => Resolve(a).Id), StringComparer.OrdinalIgnoreCase);
        var members = new Dictionary<string, Member>(StringComparer.OrdinalIgnoreCase);
        foreach (var user in group.MemberDns.Concat(group.MemberUids).Concat(group.Admins).Select(Resolve))
        {
            if (!members.ContainsKey(user.Id))
                members[user.Id] = new Member(user.Id, admins.Contains(user.Id) ? AdminRole : MemberRole, user.DisplayName);
        }
        return members.Values.OrderBy(m => m.Role == AdminRole ? 0 : 1).ThenBy(m => m.User, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// At most this many pages of <see cref="PageSize"/> entries in one search (five million entries): a server
    /// that keeps sending paging cookies fails the collection instead of holding the pass forever.
    /// </summary>
    internal const int MaxPages = 10_000;

    private IEnumerable<SearchResultEntry> Search(LdapConnection connection, string baseDn, string filter, SearchScope scope,
        string[] attributes, CancellationToken cancellationToken)
    {
        var paging = new PageResultRequestControl(PageSize);
        var cookies = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 1; ; page++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var request = new SearchRequest(baseDn, filter, scope, attributes);
            request.Controls.Add(paging);
            var response = (SearchResponse)connection.SendRequest(request);
            foreach (SearchResultEntry entry in response.Entries)
                yield return entry;
            var cookie = response.Controls.OfType<PageResultResponseControl>().FirstOrDefault()?.Cookie;
            if (cookie is null || cookie.Length == 0)
                yield break;
            // A cookie the server sent before would page through the same results again, without end.
            if (!cookies.Add(Convert.ToBase64String(cookie)))
                throw new SourceException($"LDAP server {Server} sent a paging cookie it had sent before (page {page} of the search under {baseDn}); refusing to loop");
            if (page >= MaxPages)
                throw new SourceException($"LDAP server {Server} kept paging past {MaxPages} pages of {PageSize} entries (search under {baseDn}); refusing to go on");
            paging.Cookie = cookie;
        }
    }

    private static List<string> Values(SearchResultEntry entry, string attribute)
    {
        foreach (string name in entry.Attributes.AttributeNames)
        {
            if (string.Equals(name, attribute, StringComparison.OrdinalIgnoreCase))
                return entry.Attributes[name].GetValues(typeof(string)).Cast<string>().ToList();
        }
        return [];
    }

    private static string? First(SearchResultEntry entry, string attribute) => Values(entry, attribute).FirstOrDefault();
}
