namespace KetamineCds.Core.Medications;

/// <summary>What a medication coding or text was recognised as.</summary>
/// <param name="Components">The known ingredients with per-unit strength (empty when nothing was recognised).</param>
/// <param name="Text">The text the record used (CodeableConcept.text or a display), for card wording.</param>
/// <param name="ByCode">True when an RxNorm code was recognised (false: matched on text only).</param>
internal sealed record RecognizedMedication(IReadOnlyList<MedicationComponent> Components, string? Text, bool ByCode)
{
    public static RecognizedMedication Unknown { get; } = new([], null, false);

    public bool IsKnown => Components.Count > 0;

    public bool IsKetamineTherapy => Components.Any(c => c.Ingredient.IsKetamineTherapy);
}
