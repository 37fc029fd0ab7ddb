namespace KetamineCds.Core.Knowledge;

/// <summary>A knowledge source over in-memory files (tests, tools). Falls back to another source for files it does not hold.</summary>
internal sealed class InMemoryKnowledgeSource(IReadOnlyDictionary<string, string> files, IKnowledgeSource? fallback = null) : IKnowledgeSource
{
    public string? Read(string relativePath) =>
        files.TryGetValue(relativePath, out var text) ? text : fallback?.Read(relativePath);
}
