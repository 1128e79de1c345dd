namespace WikiSync.Jobs;

/// <summary>
/// The jobs loaded from the jobs folder. A broken job file is kept in <see cref="Problems"/>
/// (<c>file:line:column: message</c>) and left out; the others still run.
/// </summary>
public sealed record JobCatalog(IReadOnlyList<JobDefinition> Jobs, IReadOnlyList<JobFileProblem> Problems)
{
    public static JobCatalog Empty { get; } = new([], []);

    public JobDefinition? Find(string name) => Jobs.FirstOrDefault(j => string.Equals(j.Name, name, StringComparison.Ordinal));
}

/// <summary>A job file that cannot run: its job name (or file name when unknown) and why.</summary>
public sealed record JobFileProblem(string Job, string File, string Message)
{
    public override string ToString() => Message;
}
