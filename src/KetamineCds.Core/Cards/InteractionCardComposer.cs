using System.Text;
using KetamineCds.Core.Assessment;
using KetamineCds.Core.Knowledge;

namespace KetamineCds.Core.Cards;

/// <summary>One drug-interaction card per interacting class, naming the patient's drugs: warning for major, info for moderate/info.</summary>
internal static class InteractionCardComposer
{
    public static IEnumerable<CdsCard> Compose(CardFactory factory, PatientAssessment assessment, IReadOnlyList<InteractionFinding> findings)
    {
        var therapy = assessment.TherapyName;
        foreach (var finding in findings)
        {
            var cls = finding.Class;
            if (!cls.ShowCard)
            {
                // The source's management is "none needed": reported in the assessment, never shown as a card.
                continue;
            }

            var severity = SafetySummary.Severity(cls.Severity);
            var drugs = string.Join(", ", finding.Drugs.Select(d => d.Ingredient.Name));
            var detail = new StringBuilder();
            detail.Append("**").Append(cls.Display).Append("** with ").Append(therapy).Append(" (").Append(severity).Append(" interaction):\n");
            foreach (var drug in finding.Drugs)
            {
                detail.Append("- ").Append(CardFactory.Drug(drug.Ingredient.Name, drug.Text)).Append(": ").Append(Source(drug));
                if (drug.DailyDoseMg is not null)
                {
                    detail.Append(", ").Append(CardFactory.Dose(drug.DailyDoseMg));
                }

                detail.Append('\n');
            }

            detail.Append("\nEffect: ").Append(cls.Effect).Append("\n\nManagement: ").Append(cls.ManagementFor(assessment.InvolvesEsketamine)).Append('\n');
            if (cls.SeverityNote is { } note)
            {
                detail.Append('\n').Append(note).Append('\n');
            }

            detail.Append('\n').Append(SafetyCardComposer.OrderOrTherapy(assessment));
            yield return factory.Create(
                CardTopics.DrugInteraction,
                cls.Severity == InteractionSeverity.Major ? CardIndicator.Warning : CardIndicator.Info,
                cls.KetamineOnlyEvidence && assessment.InvolvesEsketamine
                    ? $"{Capitalize(severity)} interaction reported for ketamine (none found for esketamine): {drugs} ({cls.Display})"
                    : $"{Capitalize(severity)} interaction with {therapy}: {drugs} ({cls.Display})",
                detail.ToString(),
                cls.Sources,
                racemicKetamineOnly: assessment.RacemicKetamineOnly);
        }
    }

    private static string Source(InteractingDrug drug) => drug.Source switch
    {
        MedicationSourceKind.DraftOrder => "draft order",
        MedicationSourceKind.Request => $"current order since {FhirDates.Format(drug.Since)}",
        MedicationSourceKind.Statement => $"current medication statement since {FhirDates.Format(drug.Since)}",
        _ => $"dispensed since {FhirDates.Format(drug.Since)}",
    };

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
