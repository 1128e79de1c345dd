using WikiSync.Configuration;

namespace WikiSync.Hosting;

public static class RunSettingsFactory
{
    /// <summary>The host's settings from the loaded configuration.</summary>
    public static RunSettings From(WikiSyncSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new RunSettings
        {
            Store = string.IsNullOrWhiteSpace(settings.Store) ? null : settings.Store,
            DataFolder = settings.Data,
            HttpPort = settings.Http.Port,
            HttpToken = string.IsNullOrEmpty(settings.Http.Token) ? null : settings.Http.Token,
            PublicHost = string.IsNullOrWhiteSpace(settings.Http.PublicHost) ? null : settings.Http.PublicHost.Trim(),
            ShutoffPage = settings.EffectiveShutoffPage,
            WikiApi = settings.Wiki.Api,
        };
    }
}
