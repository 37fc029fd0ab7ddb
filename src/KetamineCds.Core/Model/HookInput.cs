using Hl7.Fhir.Model;

namespace KetamineCds.Core.Model;

/// <summary>What the hook's context tells the engine beyond the patient's record.</summary>
/// <param name="Kind">The hook that fired.</param>
/// <param name="DraftOrders">Resources from <c>context.draftOrders</c> (empty for patient-view).</param>
/// <param name="Selections">References from <c>context.selections</c> (order-select only), e.g. <c>MedicationRequest/103</c>.</param>
public sealed record HookInput(HookKind Kind, IReadOnlyList<Resource> DraftOrders, IReadOnlyList<string> Selections)
{
    public static HookInput PatientView { get; } = new(HookKind.PatientView, [], []);
}
