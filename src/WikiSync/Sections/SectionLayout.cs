namespace WikiSync.Sections;

/// <summary>
/// The order the job files ask for among sections ("members after instances", "sal after members"), known for
/// every job, also those not run in this pass. A section added while a later one is already on the page (the
/// first SAL entry of a project logged before its instances were synced) then goes before that one, not
/// below it at the end.
/// </summary>
public sealed class SectionLayout
{
    public static SectionLayout None { get; } = new([]);

    private readonly Dictionary<string, HashSet<string>> _next = new(StringComparer.Ordinal);

    /// <param name="placements">Each known section with a placement the job files give it.</param>
    public SectionLayout(IEnumerable<(string Section, Placement Placement)> placements)
    {
        ArgumentNullException.ThrowIfNull(placements);
        foreach (var (section, placement) in placements)
        {
            if (placement.Target is not { } target || target == section)
                continue;
            if (placement.Kind == PlacementKind.AfterSection)
                Edge(target, section);
            else if (placement.Kind == PlacementKind.BeforeSection)
                Edge(section, target);
        }
    }

    private void Edge(string first, string then)
    {
        if (!_next.TryGetValue(first, out var set))
            _next[first] = set = new HashSet<string>(StringComparer.Ordinal);
        set.Add(then);
    }

    /// <summary>Whether the job files put <paramref name="first"/> above <paramref name="then"/>, directly or through others.</summary>
    public bool Precedes(string first, string then) =>
        Reaches(first, then) && !Reaches(then, first); // contradicting job files order nothing

    private bool Reaches(string from, string to)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { from };
        var stack = new Stack<string>();
        stack.Push(from);
        while (stack.Count > 0)
        {
            if (!_next.TryGetValue(stack.Pop(), out var next))
                continue;
            foreach (var n in next)
            {
                if (n == to)
                    return true;
                if (seen.Add(n))
                    stack.Push(n);
            }
        }

        return false;
    }
}
