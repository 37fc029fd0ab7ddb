using Hl7.Fhir.Model;

namespace KetamineCds.Core.Model;

/// <summary>What the hook's context tells the engine beyond the patient's record.</summary>
/// <param name="Kind">The hook that fired.</param>
/// <param name="DraftOrders">Resources from <c>context.draftOrders</c> (empty for patient-view).</param>
/// <param name="Selections">References from <c>context.selections</c> (order-select only), e.g. <c>MedicationRequest/103</c>.</param>
public sealed record HookInput(HookKind Kind, IReadOnlyList<Resource> DraftOrders, IReadOnlyList<string> Selections)
{
    public static HookInput PatientView { get; } = new(HookKind.PatientView, [], []);

    /// <summary>
    /// The hook's patient (<c>context.patientId</c>): the only patient advice is about. Suggested resources (the referral
    /// ServiceRequest) name it as their subject. The data layer has already dropped other patients' data.
    /// </summary>
    public string? PatientId { get; init; }

    /// <summary>
    /// Medication resources of the draft-order Bundle, keyed like <see cref="PatientRecord.Medications"/>
    /// (<c>Medication/{id}</c> and the entry's fullUrl), for draft orders that name their drug by <c>medicationReference</c>.
    /// </summary>
    public IReadOnlyDictionary<string, Medication> DraftMedications { get; init; } = new Dictionary<string, Medication>(StringComparer.Ordinal);
}
