namespace KetamineCds.Core.Knowledge;

/// <summary>Where the knowledge-base files come from (embedded resources in production, a dictionary in tests).</summary>
internal interface IKnowledgeSource
{
    /// <summary>Returns the UTF-8 text of the file at <paramref name="relativePath"/> (e.g. <c>valuesets/x.json</c>), or null when it does not exist.</summary>
    string? Read(string relativePath);
}
