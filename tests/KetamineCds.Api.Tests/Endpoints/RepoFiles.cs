using System.Reflection;

namespace KetamineCds.Api.Tests.Endpoints;

/// <summary>Files of the repository (fixtures, cds-hooks/), found through the build-time RepositoryRoot metadata.</summary>
internal static class RepoFiles
{
    public static string Root { get; } = typeof(RepoFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts));

    public static string Example(string fileName) => Read("tests", "KetamineCds.Api.Tests", "Fixtures", "cds-hooks-examples", fileName);
}
