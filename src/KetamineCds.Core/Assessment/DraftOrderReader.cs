using Hl7.Fhir.Model;
using KetamineCds.Core.Medications;
using KetamineCds.Core.Model;

namespace KetamineCds.Core.Assessment;

/// <summary>
/// Reads the hook's draft orders. order-select focuses on the drafts named in <c>selections</c> (all drafts when none of
/// them is referenced, e.g. drafts without ids); order-sign uses all drafts. Non-medication drafts are ignored.
/// A <c>medicationReference</c> resolves to a contained Medication (<c>#x</c>), a Medication of the draft-order Bundle
/// (<c>Medication/x</c> or the entry's fullUrl; <see cref="HookInput.DraftMedications"/>), else one of the record.
/// </summary>
internal static class DraftOrderReader
{
    public static List<DraftOrder> Read(HookInput hook, PatientRecord record, MedicationRecognizer recognizer, DateTimeOffset now)
    {
        var drafts = new List<DraftOrder>();
        var lookup = WithDraftMedications(hook, record);
        foreach (var resource in hook.DraftOrders)
        {
            if (resource is not MedicationRequest request)
            {
                continue;
            }

            var medication = recognizer.Recognize(request.Medication, request, lookup);
            var reference = string.IsNullOrWhiteSpace(request.Id) ? null : "MedicationRequest/" + request.Id;
            var exposures = medication.Components.Select(c => new MedicationExposure
            {
                Ingredient = c.Ingredient,
                Source = MedicationSourceKind.DraftOrder,
                Reference = reference,
                Text = medication.Text,
                StrengthMg = c.StrengthMg,
                DailyDoseMg = DoseCalculator.DailyDoseMg(request.DosageInstruction, c.StrengthMg),
                Start = FhirDates.Parse(request.AuthoredOn) ?? now,
                IsCurrent = true,
            }).ToList();
            drafts.Add(new DraftOrder(request, reference, medication, exposures));
        }

        if (hook.Kind == HookKind.OrderSelect && hook.Selections.Count > 0)
        {
            var selected = drafts.Where(d => d.Reference is not null && hook.Selections.Any(s => Matches(s, d.Reference))).ToList();
            if (selected.Count > 0)
            {
                return selected;
            }
        }

        return drafts;
    }

    /// <summary>The record for reference resolution: the draft Bundle's Medications first (same Bundle), then the record's.</summary>
    private static PatientRecord WithDraftMedications(HookInput hook, PatientRecord record)
    {
        if (hook.DraftMedications.Count == 0)
        {
            return record;
        }

        var medications = new Dictionary<string, Medication>(hook.DraftMedications, StringComparer.Ordinal);
        foreach (var (key, medication) in record.Medications)
        {
            medications.TryAdd(key, medication);
        }

        return new PatientRecord { Medications = medications };
    }

    private static bool Matches(string selection, string reference) =>
        string.Equals(selection, reference, StringComparison.Ordinal)
        || selection.EndsWith("/" + reference, StringComparison.Ordinal);
}
