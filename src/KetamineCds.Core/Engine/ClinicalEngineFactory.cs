using KetamineCds.Core.Knowledge;

namespace KetamineCds.Core.Engine;

/// <summary>Builds the engine once at start-up (knowledge base loaded and validated here, never per request).</summary>
public static class ClinicalEngineFactory
{
    /// <summary>Loads the embedded knowledge base, validates it (throws <see cref="KnowledgeBaseException"/> naming the file and entry on error) and builds the engine.</summary>
    public static IClinicalEngine Create(ClinicalOptions options) => Create(options, KnowledgeBase.LoadEmbedded());

    /// <summary>Builds the engine over an already loaded knowledge base (share one instance between engines and tests).</summary>
    public static IClinicalEngine Create(ClinicalOptions options, KnowledgeBase knowledge)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(knowledge);
        return new ClinicalEngine(knowledge, options);
    }
}
