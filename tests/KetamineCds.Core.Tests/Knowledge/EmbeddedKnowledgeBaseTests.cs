using KetamineCds.Core.Knowledge;

namespace KetamineCds.Core.Tests.Knowledge;

public sealed class EmbeddedKnowledgeBaseTests
{
    [Fact]
    public void LoadEmbedded_loads_version_and_tables()
    {
        var kb = KnowledgeBase.LoadEmbedded();

        Assert.Equal("2026.11.0", kb.Version);
        Assert.True(kb.Ingredients.Count > 80);
        Assert.True(kb.ProductCodeCount > 500, $"product codes: {kb.ProductCodeCount}");
        Assert.True(kb.BrandCount > 500);
        Assert.Equal(16, kb.InteractionClasses.Count);
    }
}
