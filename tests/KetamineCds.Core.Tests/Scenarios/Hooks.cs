using Hl7.Fhir.Model;
using KetamineCds.Core.Model;

namespace KetamineCds.Core.Tests.Scenarios;

/// <summary>Hook inputs and draft orders for scenarios.</summary>
public static class Hooks
{
    public const string KetamineDraftId = "draft-ketamine";
    public const string EsketamineDraftId = "draft-esketamine";

    public static HookInput PatientView => HookInput.PatientView;

    /// <summary>A draft MedicationRequest (status draft, intent order) as an EHR puts in context.draftOrders.</summary>
    public static MedicationRequest Draft(Med med, string id, Dose? dose = null)
    {
        var draft = new MedicationRequest
        {
            Id = id,
            Status = MedicationRequest.MedicationrequestStatus.Draft,
            Intent = MedicationRequest.MedicationRequestIntent.Order,
            Subject = new ResourceReference("Patient/p1"),
            AuthoredOn = new FhirDateTime(ScenarioClock.Now).Value,
            Medication = med.ToConcept(),
        };
        if (dose is not null)
        {
            draft.DosageInstruction.Add(dose.ToDosage());
        }

        return draft;
    }

    /// <summary>A draft whose medication is a contained Medication (medicationReference "#med").</summary>
    public static MedicationRequest DraftWithContainedMedication(Med med, string id)
    {
        var draft = Draft(med, id);
        draft.Contained.Add(new Medication { Id = "med", Code = med.ToConcept() });
        draft.Medication = new ResourceReference("#med");
        return draft;
    }

    public static MedicationRequest KetamineDraft(Med? med = null) => Draft(med ?? Med.Ketamine, KetamineDraftId);

    public static MedicationRequest EsketamineDraft(Med? med = null) => Draft(med ?? Med.Esketamine, EsketamineDraftId);

    public static HookInput Sign(params Resource[] drafts) => new(HookKind.OrderSign, drafts, []);

    public static HookInput Select(IReadOnlyList<Resource> drafts, params string[] selections) => new(HookKind.OrderSelect, drafts, selections);
}
