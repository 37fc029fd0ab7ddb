using KetamineCds.Core.Knowledge;
using KetamineCds.Fhir.Prefetch;

namespace KetamineCds.Fhir.Tests;

/// <summary>
/// One source for codes: the Observation prefetch/fallback query asks for exactly the codes of the knowledge base's
/// Observation concept sets (plus the blood-pressure panel, whose components the rules read). Fails when they drift.
/// </summary>
public sealed class ObservationQueryCodesTests
{
    private static readonly KnowledgeBase Knowledge = KnowledgeBase.LoadEmbedded();

    [Fact]
    public void Observation_query_codes_are_the_knowledge_base_concept_set_codes_plus_the_bp_panel()
    {
        var queried = PrefetchTemplates.ObservationCodes.Split(',').Order(StringComparer.Ordinal).ToList();
        var expected = Knowledge.ObservationQueryCodes.Concat(PrefetchTemplates.BloodPressurePanelCodes).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(expected, queried);
    }

    [Theory]
    [InlineData("http://loinc.org|8459-0")]
    [InlineData("http://loinc.org|8460-8")]
    [InlineData("http://loinc.org|8461-6")]
    [InlineData("http://loinc.org|44261-6")]
    public void Positional_systolic_codes_and_phq9_are_requested(string code)
        => Assert.Contains(code, PrefetchTemplates.ObservationCodes.Split(','));

    [Fact]
    public void Observation_template_carries_the_codes()
    {
        var template = Assert.Single(PrefetchTemplates.All, t => t.Key == "observations").Template;
        Assert.Contains("&code=" + PrefetchTemplates.ObservationCodes + "&", template, StringComparison.Ordinal);
    }
}
