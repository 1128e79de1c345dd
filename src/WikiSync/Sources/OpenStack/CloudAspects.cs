namespace WikiSync.Sources.OpenStack;

/// <summary>What the one cloud source answers: instances (Nova), projects and members (Keystone).</summary>
[Flags]
public enum CloudAspects
{
    None = 0,
    Instances = 1,
    Projects = 2,
    Members = 4,
}
