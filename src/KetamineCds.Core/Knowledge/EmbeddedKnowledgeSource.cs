using System.Reflection;

namespace KetamineCds.Core.Knowledge;

/// <summary>Reads the files embedded from <c>Knowledge/Data/**/*.json</c> (logical names <c>KetamineCds.Knowledge.&lt;path&gt;</c>).</summary>
internal sealed class EmbeddedKnowledgeSource : IKnowledgeSource
{
    private const string Prefix = "KetamineCds.Knowledge.";
    private readonly Assembly _assembly = typeof(EmbeddedKnowledgeSource).Assembly;
    private readonly Dictionary<string, string> _names;

    public EmbeddedKnowledgeSource()
    {
        _names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in _assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            // Accept both "valuesets/x.json", "valuesets\x.json" and "valuesets.x.json" spellings of the folder separator.
            var relative = name[Prefix.Length..].Replace('\\', '/');
            _names[Normalize(relative)] = name;
        }
    }

    public string? Read(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        if (!_names.TryGetValue(Normalize(relativePath), out var name))
        {
            return null;
        }

        using var stream = _assembly.GetManifestResourceStream(name);
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string Normalize(string path) => path.Replace('\\', '.').Replace('/', '.');
}
