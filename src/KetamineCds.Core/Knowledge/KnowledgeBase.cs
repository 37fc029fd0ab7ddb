using System.Collections.Frozen;
using Hl7.Fhir.Model;
using KetamineCds.Core.Medications;

namespace KetamineCds.Core.Knowledge;

/// <summary>
/// The validated, immutable clinical knowledge base (code sets, antidepressant table, minimum doses, interaction
/// classes, brand names). Load it once at start-up with <see cref="LoadEmbedded"/>; it is thread-safe.
/// </summary>
public sealed class KnowledgeBase
{
    private readonly FrozenDictionary<string, ulong> _codeIndex;
    private readonly (string Prefix, ulong Mask)[] _icdPrefixes;

    internal KnowledgeBase(
        string version,
        FrozenDictionary<string, Citation> citations,
        IReadOnlyList<Ingredient> ingredients,
        FrozenDictionary<string, InteractionClass> interactionClasses,
        FrozenDictionary<string, ConceptSet> conceptSets,
        FrozenDictionary<string, ulong> codeIndex,
        (string Prefix, ulong Mask)[] icdPrefixes,
        FrozenDictionary<string, ProductDefinition> products,
        NameMatcher names,
        FrozenDictionary<string, int> depressionSeverity,
        FrozenDictionary<string, FindingText> findingTexts,
        ProductLabels productLabels,
        int brandCount)
    {
        Version = version;
        Citations = citations;
        Ingredients = ingredients;
        IngredientsByName = ingredients.ToFrozenDictionary(i => i.Name, StringComparer.Ordinal);
        InteractionClasses = interactionClasses;
        ConceptSets = conceptSets;
        ConceptSetsByBit = conceptSets.Values.OrderBy(c => c.Bit).ToArray();
        _codeIndex = codeIndex;
        _icdPrefixes = icdPrefixes;
        Products = products;
        Names = names;
        DepressionSeverity = depressionSeverity;
        FindingTexts = findingTexts;
        ProductLabels = productLabels;
        BrandCount = brandCount;
        ObservationQueryCodes = ObservationCodesOf(codeIndex, conceptSets);
    }

    /// <summary>The knowledge-base version (shown in every card's detail), e.g. <c>2026.12.1</c>.</summary>
    public string Version { get; }

    /// <summary>
    /// Every LOINC code (FHIR token form <c>http://loinc.org|code</c>, sorted) of the Observation concept sets the rules
    /// read: PHQ-9 total, systolic and diastolic blood pressure, pregnancy status (value-set expansions included). The
    /// source of the Observation prefetch/fallback query (a test fails when the query drifts from it).
    /// </summary>
    public IReadOnlyList<string> ObservationQueryCodes { get; }

    /// <summary>Number of RxNorm codes (ingredients and products) the recogniser knows.</summary>
    public int ProductCodeCount => Products.Count;

    public int BrandCount { get; }

    internal FrozenDictionary<string, Citation> Citations { get; }

    internal IReadOnlyList<Ingredient> Ingredients { get; }

    internal FrozenDictionary<string, Ingredient> IngredientsByName { get; }

    internal FrozenDictionary<string, InteractionClass> InteractionClasses { get; }

    internal FrozenDictionary<string, ConceptSet> ConceptSets { get; }

    /// <summary>Concept sets indexed by their bit position.</summary>
    internal ConceptSet[] ConceptSetsByBit { get; }

    internal FrozenDictionary<string, ProductDefinition> Products { get; }

    internal NameMatcher Names { get; }

    /// <summary>Maudsley severity score (2-5) implied by a major-depression code, keyed like <see cref="CodeSystems.Key"/>.</summary>
    internal FrozenDictionary<string, int> DepressionSeverity { get; }

    /// <summary>Display, guidance and sources per finding code (contraindications, precautions, blood pressure, indication).</summary>
    internal FrozenDictionary<string, FindingText> FindingTexts { get; }

    /// <summary>The label a card links to when none of its cited sources has a URL (knowledge-base.json <c>productLabels</c>).</summary>
    internal ProductLabels ProductLabels { get; }

    /// <summary>Loads and validates the knowledge base embedded in this assembly. Throws <see cref="KnowledgeBaseException"/> naming the file and entry on error.</summary>
    public static KnowledgeBase LoadEmbedded() => KnowledgeBaseLoader.Load(new EmbeddedKnowledgeSource());

    internal ConceptSet Concept(string id) => ConceptSets[id];

    private static string[] ObservationCodesOf(FrozenDictionary<string, ulong> codeIndex, FrozenDictionary<string, ConceptSet> conceptSets)
    {
        ulong mask = 0;
        foreach (var id in (string[])[ConceptIds.Phq9Total, ConceptIds.SystolicBp, ConceptIds.DiastolicBp, ConceptIds.PregnancyStatus])
        {
            mask |= conceptSets.TryGetValue(id, out var set) ? set.Mask : 0;
        }

        const string loinc = "loinc|";
        return codeIndex.Where(e => (e.Value & mask) != 0 && e.Key.StartsWith(loinc, StringComparison.Ordinal))
            .Select(e => CodeSystems.Loinc + "|" + e.Key[loinc.Length..])
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Bit mask of the concept sets a code belongs to.</summary>
    internal ulong Match(string? system, string? code)
    {
        var key = CodeSystems.Key(system, code);
        if (key is null)
        {
            return 0;
        }

        var mask = _codeIndex.GetValueOrDefault(key);
        if (mask == 0 && key.StartsWith("icd|", StringComparison.Ordinal))
        {
            mask = _codeIndex.GetValueOrDefault("parent:" + key);
        }

        if (_icdPrefixes.Length > 0 && key.StartsWith("icd|", StringComparison.Ordinal))
        {
            foreach (var (prefix, prefixMask) in _icdPrefixes)
            {
                if (key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    mask |= prefixMask;
                }
            }
        }

        return mask;
    }

    internal ulong Match(CodeableConcept? concept)
    {
        if (concept is null)
        {
            return 0;
        }

        ulong mask = 0;
        foreach (var coding in concept.Coding)
        {
            if (coding is not null)
            {
                mask |= Match(coding.System, coding.Code);
            }
        }

        return mask;
    }

    internal string CitationUrlOrLabel(string key) =>
        Citations.TryGetValue(key, out var c) ? c.Url ?? c.Label : key;
}
