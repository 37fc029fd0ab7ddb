using Hl7.Fhir.Model;
using KetamineCds.Core.Medications;

namespace KetamineCds.Core.Assessment;

/// <summary>A draft MedicationRequest from the hook context, recognised.</summary>
/// <param name="Resource">The draft resource.</param>
/// <param name="Reference"><c>MedicationRequest/&lt;id&gt;</c>, or null when the draft has no id.</param>
/// <param name="Medication">What it orders.</param>
/// <param name="Exposures">Per-ingredient view (source <see cref="MedicationSourceKind.DraftOrder"/>).</param>
internal sealed record DraftOrder(MedicationRequest Resource, string? Reference, RecognizedMedication Medication, IReadOnlyList<MedicationExposure> Exposures)
{
    public bool IsKetamineTherapy => Medication.IsKetamineTherapy;
}
