using KetamineCds.Core.Cards;

namespace KetamineCds.Core.Knowledge;

/// <summary>
/// What the cards say about a finding: its kind (contraindication, precaution, information), a short display, the
/// source's guidance, the source keys and the override reasons a clinician may give on its card (all from the data).
/// The default text is the esketamine nasal spray's (Spravato label); <see cref="Ketamine"/> is the text for racemic
/// ketamine (IV/IM) when its sources say something else, and <see cref="WhileOnTherapy"/> the card for a patient who is
/// already on the therapy (e.g. pregnancy on esketamine: the label says to discontinue).
/// </summary>
internal sealed record FindingText(
    string FindingCode,
    FindingKind Kind,
    string Display,
    string Guidance,
    IReadOnlyList<string> Sources,
    IReadOnlyList<CdsCoding> OverrideReasons)
{
    /// <summary>The racemic ketamine variant (kind, guidance and sources of the ketamine sources), or null when the same text fits.</summary>
    public FindingText? Ketamine { get; init; }

    /// <summary>A card of its own when the patient is already on the therapy, or null.</summary>
    public OnTherapyText? WhileOnTherapy { get; init; }

    /// <summary>The text for the product in question: racemic ketamine alone uses <see cref="Ketamine"/> when there is one.</summary>
    public FindingText For(bool racemicKetamineOnly) => racemicKetamineOnly && Ketamine is { } k ? k : this;
}

/// <summary>What to say when the patient is already on the therapy: the card's summary and guidance, with sources.</summary>
internal sealed record OnTherapyText(string Summary, string Guidance, IReadOnlyList<string> Sources);
