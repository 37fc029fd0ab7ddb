namespace KetamineCds.Core.Knowledge;

/// <summary>The knowledge base could not be loaded or failed validation. The message names the file and the entry.</summary>
public sealed class KnowledgeBaseException : Exception
{
    public KnowledgeBaseException()
    {
    }

    public KnowledgeBaseException(string message)
        : base(message)
    {
    }

    public KnowledgeBaseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KnowledgeBaseException(string file, string entry, string problem, Exception? innerException = null)
        : base($"Knowledge base file '{file}', entry '{entry}': {problem}", innerException)
    {
        File = file;
        Entry = entry;
    }

    /// <summary>The data file (relative path under Knowledge/Data) that failed.</summary>
    public string? File { get; }

    /// <summary>The entry in that file that failed.</summary>
    public string? Entry { get; }
}
