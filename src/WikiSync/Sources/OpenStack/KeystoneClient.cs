using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using WikiSync.Redaction;

namespace WikiSync.Sources.OpenStack;

/// <summary>A Keystone project as <c>GET /v3/projects</c> lists it.</summary>
public sealed record KeystoneProject(string Id, string Name, string Description, bool Enabled = true);

/// <summary>
/// Keystone v3: password or application-credential authentication, one cached token per scope (project or
/// domain) reused until shortly before its <c>expires_at</c>.
/// </summary>
internal sealed class KeystoneClient(OpenStackHttp http, OpenStackOptions options, TimeProvider time, ILogger log)
{
    private const string Service = "Keystone";
    private readonly Dictionary<string, KeystoneToken> _tokens = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _lock = new(1, 1);

    /// <summary>A token for <paramref name="scope"/>, reused while fresh.</summary>
    public async Task<KeystoneToken> GetTokenAsync(KeystoneScope scope, CancellationToken cancellationToken)
    {
        var key = scope.Key;
        await _lock.WaitAsync(cancellationToken);
        try
        {
            var margin = TimeSpan.FromSeconds(options.TokenMarginSeconds);
            if (_tokens.TryGetValue(key, out var token) && token.ExpiresAt - margin > time.GetUtcNow())
                return token;
            token = await AuthenticateAsync(scope, cancellationToken);
            _tokens[key] = token;
            return token;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Forgets <paramref name="token"/> (a service answered 401 to it) so the next call re-authenticates.</summary>
    public void Invalidate(KeystoneToken token)
    {
        _lock.Wait();
        try
        {
            foreach (var key in _tokens.Where(p => ReferenceEquals(p.Value, token)).Select(p => p.Key).ToList())
                _tokens.Remove(key);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<KeystoneToken> AuthenticateAsync(KeystoneScope scope, CancellationToken cancellationToken)
    {
        var url = new Uri(options.IdentityRoot + "/auth/tokens");
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(AuthBody(scope).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        log.LogDebug("Authenticating to Keystone at {Url} as {Principal} for {Scope}", Redact.Url(url), options.Principal, Describe(scope));
        using var response = await http.SendAsync(request, Service, cancellationToken);
        if (OpenStackHttp.IsUnauthorized(response))
        {
            throw new SourceException(
                $"Keystone refused the credentials for {options.Principal} at {OpenStackHttp.Where(request)}" +
                (scope.Domain is not null ? $" (domain {scope.Domain}: the account needs a role on it, e.g. reader)"
                    : scope.Project is not null ? $" (project {scope.Project})" : ""));
        }
        if (!response.IsSuccessStatusCode)
        {
            throw new SourceException(
                $"Keystone at {OpenStackHttp.Where(request)} {await OpenStackHttp.DescribeFailureAsync(response, cancellationToken)}");
        }
        if (!response.Headers.TryGetValues("X-Subject-Token", out var values) || values.FirstOrDefault() is not { Length: > 0 } value)
            throw new SourceException($"Keystone at {OpenStackHttp.Where(request)} answered without an X-Subject-Token header");
        using var doc = await OpenStackHttp.ReadJsonAsync(response, Service, cancellationToken);
        var token = ParseToken(value, doc.RootElement);
        log.LogInformation("Keystone issued a token for {Scope}, valid until {ExpiresAt}",
            token.ProjectName is { } name ? $"project {name}" : Describe(scope), token.ExpiresAt);
        return token;
    }

    private string Describe(KeystoneScope scope) => scope != KeystoneScope.Configured ? scope.ToString()
        : options.UsesApplicationCredential ? "the application credential's project"
        : options.ProjectName is { Length: > 0 } project ? $"project {project}"
        : "no scope";

    private JsonObject AuthBody(KeystoneScope scope)
    {
        JsonObject identity;
        if (options.UsesApplicationCredential)
        {
            identity = new JsonObject
            {
                ["methods"] = new JsonArray("application_credential"),
                ["application_credential"] = new JsonObject
                {
                    ["id"] = options.ApplicationCredentialId,
                    ["secret"] = options.ApplicationCredentialSecret,
                },
            };
            // An application credential carries its own project scope; asking for another is an error.
            return new JsonObject { ["auth"] = new JsonObject { ["identity"] = identity } };
        }
        identity = new JsonObject
        {
            ["methods"] = new JsonArray("password"),
            ["password"] = new JsonObject
            {
                ["user"] = new JsonObject
                {
                    ["name"] = options.UserName,
                    ["domain"] = new JsonObject { ["name"] = options.UserDomain },
                    ["password"] = options.Password,
                },
            },
        };
        var auth = new JsonObject { ["identity"] = identity };
        var project = scope.Project ?? options.ProjectName;
        if (scope.Domain is not null)
        {
            auth["scope"] = new JsonObject { ["domain"] = new JsonObject { ["name"] = scope.Domain } };
        }
        else if (!string.IsNullOrEmpty(project))
        {
            auth["scope"] = new JsonObject
            {
                ["project"] = new JsonObject
                {
                    ["name"] = project,
                    ["domain"] = new JsonObject { ["name"] = options.ProjectDomain },
                },
            };
        }
        return new JsonObject { ["auth"] = auth };
    }

    internal static KeystoneToken ParseToken(string value, JsonElement root)
    {
        if (!root.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.Object)
            throw new SourceException("Keystone's token answer has no \"token\" object");
        if (!token.TryGetProperty("expires_at", out var expires) || expires.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParse(expires.GetString(), CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var expiresAt))
            throw new SourceException("Keystone's token answer has no readable \"expires_at\"");
        string? projectId = null, projectName = null;
        if (token.TryGetProperty("project", out var project) && project.ValueKind == JsonValueKind.Object)
        {
            projectId = Text(project, "id");
            projectName = Text(project, "name");
        }
        var catalog = new List<CatalogEndpoint>();
        if (token.TryGetProperty("catalog", out var services) && services.ValueKind == JsonValueKind.Array)
        {
            foreach (var service in services.EnumerateArray())
            {
                var type = Text(service, "type");
                if (type is null || !service.TryGetProperty("endpoints", out var endpoints) || endpoints.ValueKind != JsonValueKind.Array)
                    continue;
                foreach (var endpoint in endpoints.EnumerateArray())
                {
                    var url = Text(endpoint, "url");
                    if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
                        continue;
                    catalog.Add(new CatalogEndpoint(type, Text(endpoint, "interface") ?? "public",
                        Text(endpoint, "region_id") ?? Text(endpoint, "region"), uri));
                }
            }
        }
        return new KeystoneToken(value, expiresAt, projectId, projectName, catalog);
    }

    internal static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
