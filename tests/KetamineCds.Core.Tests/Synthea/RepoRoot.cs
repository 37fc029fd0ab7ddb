using System.Runtime.CompilerServices;

namespace KetamineCds.Core.Tests.Synthea;

/// <summary>Finds the repository root (the folder holding KetamineCds.sln) so fixtures are read in place, not copied to the output.</summary>
public static class RepoRoot
{
    private const string Marker = "KetamineCds.sln";

    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    private static string Find()
    {
        // 1. Upward from the test binary (normal in-tree builds, CI).
        // 2. Upward from the working directory.
        // 3. Upward from this source file (builds with an --artifacts-path outside the repo).
        string?[] starts = [AppContext.BaseDirectory, Directory.GetCurrentDirectory(), SourceDirectory()];
        foreach (var start in starts)
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, Marker)))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException($"{Marker} not found above {AppContext.BaseDirectory}, the working directory or the test sources.");
    }

    private static string? SourceDirectory([CallerFilePath] string file = "") =>
        string.IsNullOrEmpty(file) ? null : System.IO.Path.GetDirectoryName(file);
}
