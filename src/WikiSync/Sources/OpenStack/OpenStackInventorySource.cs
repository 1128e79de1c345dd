using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using WikiSync.Model;
using WikiSync.Redaction;

namespace WikiSync.Sources.OpenStack;

/// <summary>
/// The cloud source. Instances from Nova: a Keystone v3 token, the compute endpoint from its catalog, and
/// <c>GET /servers/detail</c> followed through every <c>servers_links</c> page, grouped into projects by
/// <c>tenant_id</c>. Nova gives only the id of a server's image: its name comes from Glance
/// (<c>GET /v2/images/{id}</c>), each distinct id asked once per pass. Projects (names, descriptions) from
/// Keystone's <c>GET /v3/projects</c>, members from <c>GET /v3/role_assignments?effective&amp;include_names</c>;
/// which of the three it answers is <see cref="CloudAspects"/>, and one source serves them all with one token
/// cache. A collection for a few named projects lists only their servers and takes the others from the last
/// listing. Every failure is a <see cref="SourceException"/>; a partial listing is never returned, because
/// missing servers would be rendered as deleted ones.
/// </summary>
public sealed class OpenStackInventorySource : IInventorySource
{
    private const string KeystoneService = "Keystone";
    private readonly OpenStackHttp _http;
    private readonly OpenStackOptions _options;
    private readonly CloudAspects _aspects;
    private readonly ILogger<OpenStackInventorySource> _log;
    private readonly KeystoneClient _keystone;
    private readonly LastListings _last;

    /// <exception cref="SourceException">The options are incomplete; the message lists every problem.</exception>
    public OpenStackInventorySource(HttpClient http, OpenStackOptions options, TimeProvider time, ILogger<OpenStackInventorySource> log,
        CloudAspects aspects = CloudAspects.Instances)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate(aspects);
        if (problems.Count > 0)
            throw new SourceException("the OpenStack source is not usable: " + string.Join("; ", problems));
        _options = options;
        _aspects = aspects;
        _log = log;
        _http = new OpenStackHttp(http, time, TimeSpan.FromSeconds(options.TimeoutSeconds), options.MaxResponseBytes);
        _keystone = new KeystoneClient(_http, options, time, log);
        _last = new LastListings(byProjectId: options.AllProjects, options.Projects);
    }

    public string Describe() => $"openstack:{Redact.Url(_options.IdentityRoot)}";

    private bool Answers(CloudAspects aspect) => (_aspects & aspect) != 0;

    /// <summary>Keystone's project list and role assignments are read with this scope's token.</summary>
    private KeystoneScope IdentityScope =>
        string.IsNullOrWhiteSpace(_options.KeystoneDomain) ? KeystoneScope.Configured : new KeystoneScope(Domain: _options.KeystoneDomain);

    public Task<Inventory> CollectAsync(CancellationToken cancellationToken) => CollectAsync([], cancellationToken);

    /// <summary>
    /// With <paramref name="only"/> named (a notified refresh, <c>sync --project</c>), only those projects'
    /// servers are listed (<c>project_id=</c> in the admin listing) and the others come from the last listing;
    /// the first collection of the process, or a name whose id is not known yet, lists everything.
    /// </summary>
    public async Task<Inventory> CollectAsync(IReadOnlyCollection<string> only, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(only);
        var ticket = _last.Start();
        // The admin listing groups servers by project id, which only Keystone's list turns into names; a
        // project-scoped listing knows its names already (and a reader may not list the projects).
        var listsProjects = Answers(CloudAspects.Projects | CloudAspects.Members) || (Answers(CloudAspects.Instances) && _options.AllProjects);
        var narrowed = Answers(CloudAspects.Instances) ? _last.Narrowed(only) : null;
        // Keystone's lists and Nova's do not wait on each other: a pass waits for the slowest alone.
        var knownTask = listsProjects ? ListProjectsAsync(cancellationToken) : Task.FromResult(new List<KeystoneProject>());
        var membersTask = Answers(CloudAspects.Members) ? ListMembersAsync(cancellationToken) : Task.FromResult(new Dictionary<string, List<Member>>(StringComparer.Ordinal));
        var serversTask = Answers(CloudAspects.Instances) ? ListInstancesAsync(narrowed?.Values, cancellationToken) : Task.FromResult(new Dictionary<string, ListedServers>(StringComparer.Ordinal));
        await Task.WhenAll(knownTask, membersTask, serversTask).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        // Failing together, they fail in one order: the project list first (its error names the role missing).
        var known = await knownTask;
        var members = await membersTask;
        var listing = await serversTask;
        if (listsProjects && !_last.RememberIds(known, narrowed))
        {
            // A project renamed or made again under its name since the last listing: its servers are under another id.
            _log.LogInformation("Keystone has another id for one of {Names} than at the last listing; listing every project's servers", string.Join(", ", narrowed.Keys));
            narrowed = null;
            listing = await ListInstancesAsync(null, cancellationToken);
        }
        if (Answers(CloudAspects.Instances))
            listing = _last.Remember(listing, ticket, whole: narrowed is null);

        // The listing is keyed by project id (admin listing) or by configured name (project-scoped listings).
        var projects = new List<Project>();
        var skipDisabled = Answers(CloudAspects.Projects) && _options.DisabledProjects == OpenStackOptions.SkipDisabled;
        var skipped = new List<string>();
        foreach (var p in known)
        {
            List<Instance> instances = listing.Remove(_options.AllProjects ? p.Id : p.Name, out var listed) ? listed.Instances : [];
            if (!p.Enabled && skipDisabled)
            {
                skipped.Add(p.Name);
                continue;
            }
            projects.Add(new Project(p.Name, p.Description, members.GetValueOrDefault(p.Id) ?? [], instances) { Id = p.Id, Enabled = p.Enabled });
        }
        if (skipped.Count > 0)
            _log.LogDebug("Keystone lists {Count} disabled projects, left out (openstack.disabled_projects: skip): {Names}", skipped.Count, string.Join(", ", skipped));
        foreach (var (key, listed) in listing)
        {
            if (!_options.AllProjects)
            {
                projects.Add(new Project(key, "", [], listed.Instances) { Id = listed.ProjectId ?? "" });
                continue;
            }
            // A project listed alone that has no servers now (and Keystone no longer lists).
            if (listed.Instances.Count == 0)
                continue;
            // A server whose project Keystone does not list (deleted project, another domain): keep it
            // visible under its id rather than dropping it silently.
            _log.LogWarning("Keystone does not list project {ProjectId} of {Count} servers; using the id as its name", key, listed.Instances.Count);
            projects.Add(new Project(key.Length == 0 ? "(no project)" : key, "", [], listed.Instances) { Id = key });
        }

        var sorted = projects.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        _log.LogInformation("OpenStack listed {Servers} servers, {Members} memberships in {Projects} projects{Narrowed}",
            sorted.Sum(p => p.Instances.Count), sorted.Sum(p => p.Members.Count), sorted.Count,
            narrowed is null ? "" : $" (servers listed anew for {string.Join(", ", narrowed.Keys)} only)");
        return new Inventory(sorted);
    }

    /// <summary>
    /// The servers (with image names) by listing key: every project's, or those of <paramref name="keys"/> alone
    /// (project ids for the admin listing, configured names otherwise; each key answered, with no servers too).
    /// </summary>
    private async Task<Dictionary<string, ListedServers>> ListInstancesAsync(IEnumerable<string>? keys, CancellationToken cancellationToken)
    {
        // Image names live for one collection: an image renamed or deleted shows at the next one.
        var imageNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var listing = new Dictionary<string, ListedServers>(StringComparer.Ordinal);
        if (_options.AllProjects)
        {
            if (keys is null)
                await ListAllTenantsAsync(projectId: null);
            foreach (var projectId in keys ?? [])
                await ListAllTenantsAsync(projectId);
            return listing;
        }
        foreach (var name in keys ?? _options.Projects)
        {
            var scope = KeystoneScope.OfProject(name);
            var servers = SortedInstances(await WithImageNamesAsync(scope,
                await ListServersAsync(scope, allTenants: false, projectId: null, cancellationToken), imageNames, cancellationToken));
            listing[name] = new ListedServers(servers, (await _keystone.GetTokenAsync(scope, cancellationToken)).ProjectId);
        }
        return listing;

        // The admin listing of every project, or of one (a project without servers is answered too).
        async Task ListAllTenantsAsync(string? projectId)
        {
            var servers = await WithImageNamesAsync(KeystoneScope.Configured,
                await ListServersAsync(KeystoneScope.Configured, allTenants: true, projectId, cancellationToken), imageNames, cancellationToken);
            if (projectId is not null)
                listing[projectId] = new ListedServers([], projectId);
            foreach (var group in servers.GroupBy(s => s.TenantId, StringComparer.Ordinal))
                listing[group.Key] = new ListedServers(SortedInstances(group), group.Key);
        }
    }

    /// <summary>
    /// The servers with their image names from Glance. An image Glance does not know (deleted, or private to
    /// another project) keeps its id, as does every image of a catalog without an image service.
    /// </summary>
    private async Task<List<NovaServer>> WithImageNamesAsync(KeystoneScope scope, List<NovaServer> servers,
        Dictionary<string, string> imageNames, CancellationToken cancellationToken)
    {
        var wanted = servers.Select(s => s.ImageId).OfType<string>().Where(id => !imageNames.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
            return WithNames(servers, imageNames);
        var token = await _keystone.GetTokenAsync(scope, cancellationToken);
        if (token.TryEndpoint("image", _options.Interface, _options.Region) is null)
        {
            _log.LogWarning("The Keystone catalog has no {Interface} image endpoint; {Count} images are shown by id", _options.Interface, wanted.Count);
            foreach (var id in wanted)
                imageNames[id] = id;
            return WithNames(servers, imageNames);
        }
        foreach (var id in wanted)
        {
            using var image = await GetJsonOrNullAsync(scope, "Glance", compute: false, t => ImageUrl(t, id), notFoundIsNull: true, cancellationToken);
            imageNames[id] = image is not null && KeystoneClient.Text(image.RootElement, "name") is { Length: > 0 } name ? name : id;
        }
        _log.LogDebug("Glance named {Count} images for {Scope}", wanted.Count, scope);
        return WithNames(servers, imageNames);

        static List<NovaServer> WithNames(List<NovaServer> servers, Dictionary<string, string> names) =>
            servers.Select(s => s.ImageId is { } id ? s with { Instance = s.Instance with { Image = names[id] } } : s).ToList();
    }

    /// <summary><c>{image endpoint}/v2/images/{id}</c>; some clouds register the endpoint with its <c>/v2</c> already.</summary>
    private Uri ImageUrl(KeystoneToken token, string id)
    {
        var endpoint = token.Endpoint("image", _options.Interface, _options.Region).ToString().TrimEnd('/');
        if (!endpoint.EndsWith("/v2", StringComparison.Ordinal))
            endpoint += "/v2";
        return new Uri(endpoint + "/images/" + Uri.EscapeDataString(id));
    }

    private static List<Instance> SortedInstances(IEnumerable<NovaServer>? servers) =>
        servers is null ? [] : servers.Select(s => s.Instance).OrderBy(i => i.Name, StringComparer.Ordinal).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();

    private async Task<List<NovaServer>> ListServersAsync(KeystoneScope scope, bool allTenants, string? projectId, CancellationToken cancellationToken)
    {
        var servers = new List<NovaServer>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Uri? next = null;
        var pages = 0;
        var read = new HashSet<Uri>();
        Uri? first = null;
        do
        {
            var page = next;
            if (page is not null)
                CheckNextPage("Nova's server list", first!, page, read, pages);
            using var doc = await GetJsonAsync(scope, "Nova", compute: true,
                token => page ?? (first = FirstServersPage(token, allTenants, projectId)), cancellationToken);
            pages++;
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("servers", out var list) || list.ValueKind != JsonValueKind.Array)
                throw new SourceException($"Nova answered page {pages} of the server list without a \"servers\" list");
            foreach (var server in list.EnumerateArray())
            {
                var mapped = NovaServerMapper.Map(server, _options.PuppetMetadataKey);
                if (seen.Add(mapped.Instance.Id))
                    servers.Add(mapped);
            }
            next = NextPage(root, page, allTenants);
            if (next is not null && list.GetArrayLength() == 0)
                throw new SourceException($"Nova's server list page {pages} is empty but links to a next page; refusing to loop");
        }
        while (next is not null);
        _log.LogDebug("Nova listed {Count} servers in {Pages} pages for {Scope}", servers.Count, pages,
            projectId is not null ? "project " + projectId : allTenants ? "all projects" : scope);
        return servers;
    }

    /// <summary>
    /// A next-page link must stay on the endpoint the listing started on (the token goes with it), lead
    /// somewhere new, and the listing must end.
    /// </summary>
    private void CheckNextPage(string listing, Uri endpoint, Uri page, HashSet<Uri> read, int pagesSoFar)
    {
        if (Uri.Compare(endpoint, page, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) != 0)
            throw new SourceException($"{listing} links to a next page on another server ({Redact.Url(page)}, not {Redact.Url(endpoint.GetLeftPart(UriPartial.Authority))}); not followed, so the token is not sent there");
        if (!read.Add(page))
            throw new SourceException($"{listing} links back to a page already read ({Redact.Url(page)}); refusing to loop");
        if (pagesSoFar >= _options.MaxPages)
            throw new SourceException($"{listing} goes on past {_options.MaxPages} pages (openstack.max_pages; next: {Redact.Url(page)}); refusing to go on");
    }

    private Uri FirstServersPage(KeystoneToken token, bool allTenants, string? projectId)
    {
        var endpoint = token.Endpoint("compute", _options.Interface, _options.Region).ToString().TrimEnd('/');
        var query = new List<string>();
        if (allTenants)
            query.Add("all_tenants=true");
        // Nova filters by project only in the all-projects listing (an admin's).
        if (projectId is not null)
            query.Add("project_id=" + Uri.EscapeDataString(projectId));
        if (_options.PageSize > 0)
            query.Add($"limit={_options.PageSize}");
        return new Uri(endpoint + "/servers/detail" + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
    }

    private static Uri? NextPage(JsonElement root, Uri? current, bool allTenants)
    {
        if (!root.TryGetProperty("servers_links", out var links) || links.ValueKind != JsonValueKind.Array)
            return null;
        foreach (var link in links.EnumerateArray())
        {
            if (KeystoneClient.Text(link, "rel") != "next" || KeystoneClient.Text(link, "href") is not { Length: > 0 } href)
                continue;
            var uri = current is null ? new Uri(href, UriKind.RelativeOrAbsolute) : new Uri(current, href);
            if (!uri.IsAbsoluteUri)
                throw new SourceException($"Nova's next-page link \"{href}\" is not an absolute URL");
            // Nova copies the query into its links; should a proxy drop it, the admin listing would
            // silently shrink to one project.
            if (allTenants && !uri.Query.Contains("all_tenants", StringComparison.Ordinal))
                uri = new Uri(uri + (uri.Query.Length > 0 ? "&" : "?") + "all_tenants=true");
            return uri;
        }
        return null;
    }

    private async Task<List<KeystoneProject>> ListProjectsAsync(CancellationToken cancellationToken)
    {
        var projects = new List<KeystoneProject>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await ListKeystoneAsync("projects", "Keystone's project list",
            page => projects.AddRange(KeystoneListings.Projects(page).Where(p => ids.Add(p.Id))), cancellationToken);
        return projects;
    }

    private async Task<Dictionary<string, List<Member>>> ListMembersAsync(CancellationToken cancellationToken)
    {
        var assignments = new List<KeystoneRoleAssignment>();
        await ListKeystoneAsync("role_assignments?effective&include_names", "Keystone's role assignments",
            page => assignments.AddRange(KeystoneListings.RoleAssignments(page)), cancellationToken);
        return KeystoneListings.MembersByProject(assignments);
    }

    /// <summary>Every page of a Keystone listing, following <c>links.next</c> under the same rules as Nova's links.</summary>
    private async Task ListKeystoneAsync(string path, string listing, Action<JsonElement> read, CancellationToken cancellationToken)
    {
        var seen = new HashSet<Uri>();
        var first = new Uri(_options.IdentityRoot + "/" + path);
        Uri? next = first;
        while (next is not null)
        {
            var page = next;
            CheckNextPage(listing, first, page, seen, seen.Count);
            using var doc = await GetJsonAsync(IdentityScope, KeystoneService, compute: false, _ => page, cancellationToken);
            read(doc.RootElement);
            next = doc.RootElement.TryGetProperty("links", out var links) && KeystoneClient.Text(links, "next") is { } href
                ? new Uri(page, href)
                : null;
        }
    }

    /// <summary>
    /// GET with the scope's token. A 401 means the token expired or was revoked early: forget it,
    /// authenticate again and retry once; a second 401 is a real refusal.
    /// </summary>
    private async Task<JsonDocument> GetJsonAsync(KeystoneScope scope, string service, bool compute,
        Func<KeystoneToken, Uri> url, CancellationToken cancellationToken) =>
        (await GetJsonOrNullAsync(scope, service, compute, url, notFoundIsNull: false, cancellationToken))!;

    /// <summary><see cref="GetJsonAsync"/>, with null for a 404 when <paramref name="notFoundIsNull"/>.</summary>
    private async Task<JsonDocument?> GetJsonOrNullAsync(KeystoneScope scope, string service, bool compute,
        Func<KeystoneToken, Uri> url, bool notFoundIsNull, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var token = await _keystone.GetTokenAsync(scope, cancellationToken);
            using var request = new HttpRequestMessage(HttpMethod.Get, url(token));
            request.Headers.Add("X-Auth-Token", token.Value);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (compute && !string.IsNullOrEmpty(_options.ComputeMicroversion))
                request.Headers.Add("OpenStack-API-Version", "compute " + _options.ComputeMicroversion);
            using var response = await _http.SendAsync(request, service, cancellationToken);
            if (OpenStackHttp.IsUnauthorized(response))
            {
                _keystone.Invalidate(token);
                if (attempt == 1)
                {
                    _log.LogInformation("{Service} refused our token (expired or revoked); authenticating again", service);
                    continue;
                }
                throw new SourceException(
                    $"{service} at {OpenStackHttp.Where(request)} refused a freshly issued token for {_options.Principal}");
            }
            if (notFoundIsNull && response.StatusCode == System.Net.HttpStatusCode.NotFound)
                return null;
            if (!response.IsSuccessStatusCode)
            {
                throw new SourceException(
                    $"{service} at {OpenStackHttp.Where(request)} {await OpenStackHttp.DescribeFailureAsync(response, cancellationToken)}"
                    + (service == KeystoneService && response.StatusCode == System.Net.HttpStatusCode.Forbidden ? KeystoneForbiddenHint(scope) : ""));
            }
            return await OpenStackHttp.ReadJsonAsync(response, service, cancellationToken);
        }
    }

    private string KeystoneForbiddenHint(KeystoneScope scope) => scope.Domain is not null
        ? $" ({_options.Principal} needs the reader role on domain {scope.Domain} to list its projects and role assignments)"
        : " (a project-scoped token lists Keystone's projects and role assignments only with the admin role; " +
          "give the account the reader role on the projects' domain and set openstack.keystone_domain)";
}
