namespace WikiSync.Configuration;

/// <summary>
/// Finds the repository's own folders (<c>jobs/</c>, <c>templates/</c>) when no setting names them:
/// first under the current directory, then in the checkout that holds the running executable.
/// </summary>
public static class RepositoryPaths
{
    private const string Marker = "WikiSync.sln";

    public static string Find(string folder, string currentDirectory)
    {
        var here = Path.Combine(currentDirectory, folder);
        if (Directory.Exists(here))
            return here;
        foreach (var start in new[] { currentDirectory, AppContext.BaseDirectory })
        {
            if (RepositoryRoot(start) is { } root && Directory.Exists(Path.Combine(root, folder)))
                return Path.Combine(root, folder);
        }
        // Not found: the caller reports the missing folder by this path.
        return here;
    }

    /// <summary>The nearest folder at or above <paramref name="start"/> holding WikiSync.sln.</summary>
    public static string? RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, Marker)))
                return dir.FullName;
        }
        return null;
    }
}
