using System.Reflection;

namespace KetamineCds.Core.Tests.Synthea;

/// <summary>
/// The repository root, from the build-time <c>RepositoryRoot</c> assembly metadata (tests/Directory.Build.props),
/// so fixtures are read in place wherever the build output goes.
/// </summary>
public static class RepoRoot
{
    public static string Path { get; } = typeof(RepoRoot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;
}
