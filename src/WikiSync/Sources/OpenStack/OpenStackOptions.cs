namespace WikiSync.Sources.OpenStack;

/// <summary>
/// The cloud source (the <c>openstack:</c> section of the configuration, keys in snake_case): instances
/// from Nova, projects and members from Keystone. Either a user name + password, or an application
/// credential id + secret.
/// <see cref="ToString"/> never prints a secret.
/// </summary>
public sealed record OpenStackOptions
{
    /// <summary>Keystone's URL, with or without the trailing <c>/v3</c>.</summary>
    public string? AuthUrl { get; init; }

    public string? UserName { get; init; }

    /// <summary>Secret.</summary>
    public string? Password { get; init; }

    public string UserDomain { get; init; } = "Default";

    /// <summary>The project the token is scoped to in all-projects mode (an admin project).</summary>
    public string? ProjectName { get; init; }

    public string ProjectDomain { get; init; } = "Default";

    public string? ApplicationCredentialId { get; init; }

    /// <summary>Secret.</summary>
    public string? ApplicationCredentialSecret { get; init; }

    /// <summary>The catalog region of the compute endpoint; empty = the first region offering one.</summary>
    public string? Region { get; init; }

    /// <summary><c>public</c>, <c>internal</c> or <c>admin</c>.</summary>
    public string Interface { get; init; } = "public";

    /// <summary>
    /// true: one admin listing (<c>?all_tenants=true</c>) and project names from Keystone;
    /// false: one project-scoped token and listing per entry of <see cref="Projects"/>.
    /// </summary>
    public bool AllProjects { get; init; } = true;

    /// <summary>The projects listed one by one when <see cref="AllProjects"/> is false.</summary>
    public IReadOnlyList<string> Projects { get; init; } = [];

    /// <summary>Sent as <c>OpenStack-API-Version: compute X</c>; 2.47 gives flavor names. Empty = none.</summary>
    public string ComputeMicroversion { get; init; } = "2.47";

    /// <summary>The metadata key whose value lists puppet classes (comma or space separated).</summary>
    public string PuppetMetadataKey { get; init; } = "puppet_classes";

    /// <summary>Servers per page (<c>limit</c>); 0 = Nova's default.</summary>
    public int PageSize { get; init; }

    /// <summary>At most this many pages in one listing: a link that never ends fails the collection instead of holding the pass.</summary>
    public int MaxPages { get; init; } = 1_000;

    /// <summary>The largest answer read (bytes); a bigger one fails the collection rather than filling the memory.</summary>
    public long MaxResponseBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>
    /// Non-empty: Keystone's project list and role assignments are read with a token scoped to this domain
    /// (the account needs the <c>reader</c> role on it; the projects listed are that domain's). Empty: with
    /// the token of the configured scope (an admin project, or the application credential's).
    /// </summary>
    public string? KeystoneDomain { get; init; }

    public const string SkipDisabled = "skip";
    public const string MarkDisabled = "mark";

    /// <summary>
    /// A project Keystone lists as disabled, when Keystone answers the projects: <c>skip</c> leaves it out
    /// (with its servers and members), <c>mark</c> keeps it with <c>enabled: false</c> for the templates.
    /// </summary>
    public string DisabledProjects { get; init; } = SkipDisabled;

    /// <summary>Per HTTP request.</summary>
    public int TimeoutSeconds { get; init; } = 30;

    /// <summary>A token is replaced this long before its <c>expires_at</c>.</summary>
    public int TokenMarginSeconds { get; init; } = 300;

    /// <summary>Nova's and Keystone's notifications over RabbitMQ (<c>openstack.notifications</c>); not configured = polling only.</summary>
    public NotificationsOptions Notifications { get; init; } = new();

    internal bool UsesApplicationCredential => !string.IsNullOrEmpty(ApplicationCredentialId);

    /// <summary>Who we authenticate as, for messages (never the secret).</summary>
    internal string Principal => UsesApplicationCredential
        ? $"application credential {ApplicationCredentialId}"
        : $"user {UserName}";

    /// <summary>Keystone's v3 root, without a trailing slash.</summary>
    internal Uri IdentityRoot
    {
        get
        {
            var url = (AuthUrl ?? "").TrimEnd('/');
            if (!url.EndsWith("/v3", StringComparison.Ordinal))
                url += "/v3";
            return new Uri(url);
        }
    }

    /// <summary>Every problem with the options for what the source is asked for, each naming the key; empty when usable.</summary>
    public IReadOnlyList<string> Validate(CloudAspects aspects = CloudAspects.Instances)
    {
        var instances = aspects.HasFlag(CloudAspects.Instances);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(AuthUrl))
            problems.Add("openstack.auth_url is required");
        else if (!Uri.TryCreate(AuthUrl, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            problems.Add($"openstack.auth_url \"{Redaction.Redact.Url(AuthUrl)}\" is not an http(s) URL");
        if (UsesApplicationCredential)
        {
            if (string.IsNullOrEmpty(ApplicationCredentialSecret))
                problems.Add("openstack.application_credential_secret is required with application_credential_id");
        }
        else if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password))
        {
            problems.Add("openstack needs user_name and password, or application_credential_id and application_credential_secret");
        }
        if (instances && AllProjects && !UsesApplicationCredential && string.IsNullOrWhiteSpace(ProjectName))
            problems.Add("openstack.project_name (the admin project the token is scoped to) is required when all_projects is true");
        if (Interface is not ("public" or "internal" or "admin"))
            problems.Add($"openstack.interface \"{Interface}\" must be public, internal or admin");
        if (instances && !AllProjects && Projects.Count == 0)
            problems.Add("openstack.projects must list the projects to read when all_projects is false");
        if (instances && !AllProjects && UsesApplicationCredential && Projects.Count > 1)
            problems.Add("an application credential is bound to one project; openstack.projects can name only that one");
        if (!string.IsNullOrWhiteSpace(KeystoneDomain) && UsesApplicationCredential)
            problems.Add("openstack.keystone_domain needs a user_name and password: an application credential carries its own project scope");
        if ((aspects & (CloudAspects.Projects | CloudAspects.Members)) != 0 && !UsesApplicationCredential
            && string.IsNullOrWhiteSpace(KeystoneDomain) && string.IsNullOrWhiteSpace(ProjectName))
            problems.Add("openstack.keystone_domain (a domain the account reads with the reader role) or openstack.project_name (an admin project) is required to read Keystone's projects and members");
        if (DisabledProjects is not (SkipDisabled or MarkDisabled))
            problems.Add($"openstack.disabled_projects \"{DisabledProjects}\" must be skip or mark");
        if (TimeoutSeconds <= 0)
            problems.Add("openstack.timeout_seconds must be positive");
        if (MaxPages <= 0)
            problems.Add("openstack.max_pages must be positive");
        if (MaxResponseBytes < 1024)
            problems.Add("openstack.max_response_bytes must be at least 1024");
        return problems;
    }

    public override string ToString() =>
        $"OpenStackOptions {{ AuthUrl = {Redaction.Redact.Url(AuthUrl)}, {Principal}, Region = {Region}, Interface = {Interface}, AllProjects = {AllProjects}, KeystoneDomain = {KeystoneDomain}, " +
        $"Password = {Redaction.Redact.Secret(Password)}, ApplicationCredentialSecret = {Redaction.Redact.Secret(ApplicationCredentialSecret)}, Notifications = {Notifications} }}";
}
