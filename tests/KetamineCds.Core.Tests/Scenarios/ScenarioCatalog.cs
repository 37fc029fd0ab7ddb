using KetamineCds.Core.Cards;

namespace KetamineCds.Core.Tests.Scenarios;

/// <summary>
/// All named scenarios. Each one cites the spec line (issue 3 brief, docs/card-contract.md, clinical-criteria.md
/// source keys) its expectation comes from, so a failing scenario can be reconciled against the text.
/// </summary>
public static partial class ScenarioCatalog
{
    private static readonly Lazy<IReadOnlyList<ClinicalScenario>> Scenarios = new(() => [.. TrdScenarios(), .. EctScenarios(), .. OrderScenarios()]);

    public static IReadOnlyList<ClinicalScenario> All => Scenarios.Value;

    private static readonly Lazy<IReadOnlyDictionary<string, ClinicalScenario>> Index = new(() =>
        All.GroupBy(s => s.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal));

    /// <summary>Scenarios by name (a duplicated name keeps the first; the catalog test catches duplicates).</summary>
    public static IReadOnlyDictionary<string, ClinicalScenario> ByName => Index.Value;

    private const CardIndicator Info = CardIndicator.Info;
    private const CardIndicator Warning = CardIndicator.Warning;
    private const CardIndicator Critical = CardIndicator.Critical;

    private static ExpectedCard Card(string topic, CardIndicator? indicator) => new(topic, indicator);

    private static ExpectedCard TrdCandidate(params string[] detail) => new(CardTopics.TrdCandidate, Info)
    {
        DetailContains = detail,
        HasSuggestions = true,
        SuggestsServiceRequest = true,
    };

    private static ExpectedCard Contraindication(string draftId, params string[] detail) => new(CardTopics.Contraindication, Critical)
    {
        DetailContains = detail,
        HasSuggestions = true,
        DeletesResourceId = "MedicationRequest/" + draftId,
    };

    private static ExpectedCard Precaution() => Card(CardTopics.Precaution, Warning);

    private static ExpectedCard Interaction(CardIndicator? indicator, params string[] drugs) => new(CardTopics.DrugInteraction, indicator) { DetailContains = drugs };

    private static string Interacts(string classId) => Engine.FindingCodes.InteractionPrefix + classId;
}
