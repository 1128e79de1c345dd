namespace WikiSync.Tests.Rendering;

/// <summary>Paths in the source tree, so golden files are read and (on request) rewritten where they live.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Templates => Path.Combine(Root, "templates");

    public static string RenderingTests => Path.Combine(Root, "tests", "WikiSync.Tests", "Rendering");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WikiSync.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException($"No WikiSync.sln above {AppContext.BaseDirectory}");
    }
}
