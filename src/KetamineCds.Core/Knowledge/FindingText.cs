using KetamineCds.Core.Cards;

namespace KetamineCds.Core.Knowledge;

/// <summary>
/// What the cards say about a finding: its kind (contraindication, precaution, information), a short display, the
/// source's guidance, the source keys and the override reasons a clinician may give on its card (all from the data).
/// </summary>
internal sealed record FindingText(
    string FindingCode,
    FindingKind Kind,
    string Display,
    string Guidance,
    IReadOnlyList<string> Sources,
    IReadOnlyList<CdsCoding> OverrideReasons);
