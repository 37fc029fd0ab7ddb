using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace KetamineCds.Core.Tests.Synthea;

/// <summary>The Synthea fixture bundles (tests/KetamineCds.Core.Tests/Fixtures/synthea), each parsed once per test run.</summary>
public static class SyntheaBundles
{
    private static readonly ConcurrentDictionary<string, Lazy<Bundle>> Cache = new(StringComparer.Ordinal);

    public static string Folder => Path.Combine(RepoRoot.Path, "tests", "KetamineCds.Core.Tests", "Fixtures", "synthea");

    /// <summary>Relative paths such as <c>depression/Milan_Beatty_....json</c>, from the folders on disk.</summary>
    public static IReadOnlyList<string> Files { get; } =
    [
        .. new[] { "depression", "controls" }.SelectMany(sub =>
            Directory.EnumerateFiles(Path.Combine(Folder, sub), "*.json").Order(StringComparer.Ordinal).Select(f => sub + "/" + Path.GetFileName(f))),
    ];

    /// <summary>The file whose name starts with the patient's "First_Last" name.</summary>
    public static string FileOf(string firstLast) => Files.Single(f => Path.GetFileName(f).StartsWith(firstLast + "_", StringComparison.Ordinal));

    /// <summary>Parses the bundle with the RECOVERABLE preset (EHR-style tolerant parsing) once, then serves the cached POCO.</summary>
    public static Bundle Load(string relativePath) => Cache.GetOrAdd(relativePath, p => new Lazy<Bundle>(() =>
    {
        var json = File.ReadAllText(Path.Combine(Folder, p));
        return FhirJsonDeserializer.RECOVERABLE.Deserialize<Bundle>(json);
    })).Value;
}
