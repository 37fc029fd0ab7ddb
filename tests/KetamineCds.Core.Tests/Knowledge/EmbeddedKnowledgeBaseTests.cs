using KetamineCds.Core.Knowledge;
using KetamineCds.Core.Tests.Synthea;

namespace KetamineCds.Core.Tests.Knowledge;

public sealed class EmbeddedKnowledgeBaseTests
{
    [Fact]
    public void LoadEmbedded_loads_version_and_tables()
    {
        var kb = KnowledgeBase.LoadEmbedded();

        Assert.Equal("2026.12.1", kb.Version);
        Assert.True(kb.Ingredients.Count > 80);
        Assert.True(kb.ProductCodeCount > 500, $"product codes: {kb.ProductCodeCount}");
        Assert.True(kb.BrandCount > 500);
        Assert.Equal(16, kb.InteractionClasses.Count);
    }

    [Fact]
    public void Ect_codes_match_with_their_status_and_the_readme_lists_each_one()
    {
        // clinical-criteria.md 9.3: six SNOMED CT codes (V meaning, U current use), three ICD-10-PCS and CPT 90870 (V-weak).
        var kb = KnowledgeBase.LoadEmbedded();
        var ect = kb.Concept(ConceptIds.Ect);
        var readme = File.ReadAllText(Path.Combine(RepoRoot.Path, "src", "KetamineCds.Core", "Knowledge", "Data", "README.md"));

        Assert.Equal(10, ect.ListedCodes.Count);
        Assert.Equal(6, ect.ListedCodes.Values.Count(c => c.Status == CodeStatus.Verified && c.StatusNote!.Contains("U for current use", StringComparison.Ordinal)));
        Assert.Equal(4, ect.ListedCodes.Values.Count(c => c.Status == CodeStatus.VerifiedWeak));
        foreach (var code in ect.ListedCodes.Values)
        {
            var bare = code.Describe[(code.Describe.LastIndexOf(' ') + 1)..];
            Assert.Contains(bare, readme, StringComparison.Ordinal);
            Assert.Contains(code.Source.Split(':')[0], kb.Citations.Keys);
        }

        Assert.NotEqual(0UL, kb.Match("http://www.ama-assn.org/go/cpt", "90870") & ect.Mask);
        Assert.NotEqual(0UL, kb.Match("http://www.cms.gov/Medicare/Coding/ICD10", "gzb2zzz") & kb.Concept(ConceptIds.EctBilateral).Mask);
        Assert.Equal(0UL, kb.Match("http://hl7.org/fhir/sid/icd-10-cm", "GZB2ZZZ")); // a PCS code is not an ICD-10-CM code
    }
}
