namespace WikiSync.IntegrationTests.Support;

/// <summary>Where the repository and its built pieces are, found from the running assembly.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Scripts => Path.Combine(Root, "scripts");

    public static string Jobs => Path.Combine(Root, "jobs");

    public static string Templates => Path.Combine(Root, "templates");

    /// <summary>The built `wikisync` executable of the same configuration as the running tests.</summary>
    public static string WikiSyncExecutable
    {
        get
        {
            // The benchmarks measure the build an operator installs (scripts/publish.sh).
            if (Environment.GetEnvironmentVariable("WIKISYNC_TEST_EXECUTABLE") is { Length: > 0 } installed)
                return installed;
            var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            var bin = Path.Combine(Root, "src", "WikiSync.Cli", "bin");
            var own = Path.Combine(bin, configuration, "net10.0", "wikisync");
            if (File.Exists(own))
                return own;
            var other = Path.Combine(bin, configuration == "Release" ? "Debug" : "Release", "net10.0", "wikisync");
            return File.Exists(other) ? other : own;
        }
    }

    /// <summary>A folder for test output (screenshots, captured logs): artifacts/NAME under the repository.</summary>
    public static string Artifacts(string name)
    {
        var path = Path.Combine(Root, "artifacts", name);
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "WikiSync.sln")))
                return dir.FullName;
        throw new InvalidOperationException("WikiSync.sln not found above " + AppContext.BaseDirectory);
    }
}
