using System.Text;
using KetamineCds.Core.Assessment;
using KetamineCds.Core.Knowledge;

namespace KetamineCds.Core.Cards;

/// <summary>The "before considering ketamine/esketamine" section of the TRD card.</summary>
internal static class SafetySummary
{
    public static void Append(StringBuilder detail, PatientAssessment assessment, string therapy, List<string> sources)
    {
        detail.Append("**Before considering ").Append(therapy).Append("**\n");
        AppendFindings(detail, "Contraindications", assessment.Safety.Contraindications, sources);
        AppendFindings(detail, "Precautions", assessment.Safety.Precautions, sources);
        if (assessment.Interactions.Count == 0)
        {
            detail.Append("- Interactions with current medications: none found\n");
        }
        else
        {
            detail.Append("- Interactions with current medications:\n");
            foreach (var interaction in assessment.Interactions)
            {
                detail.Append("  - ").Append(interaction.Class.Display).Append(" (").Append(Severity(interaction.Class.Severity)).Append("): ")
                    .Append(string.Join(", ", interaction.Drugs.Select(d => CardFactory.Drug(d.Ingredient.Name, d.Text))))
                    .Append(". ").Append(interaction.Class.Management).Append('\n');
                sources.AddRange(interaction.Class.Sources);
            }
        }

        detail.Append("- Blood pressure: ").Append(BloodPressureText(assessment.BloodPressure)).Append('\n');
        sources.Add("L3");
    }

    /// <summary>
    /// The same checklist in a few lines (for the short detail): contraindications with their evidence, precautions and
    /// interacting classes by name with the patient's drugs, and the blood pressure. Sources are those of <see cref="Append"/>.
    /// </summary>
    public static void AppendShort(StringBuilder detail, PatientAssessment assessment, string therapy)
    {
        detail.Append("**Check before ").Append(therapy).Append("**\n");
        var safety = assessment.Safety;
        detail.Append("- Contraindications: ");
        detail.Append(safety.Contraindications.Count == 0
            ? "none recorded"
            : string.Join("; ", safety.Contraindications.Select(c => c.Text.Display + " (" + string.Join("; ", c.Evidence) + ")")));
        detail.Append("\n- Precautions: ")
            .Append(safety.Precautions.Count == 0 ? "none recorded" : string.Join(", ", safety.Precautions.Select(p => p.Text.Display)));
        detail.Append("\n- Interactions: ")
            .Append(assessment.Interactions.Count == 0
                ? "none found"
                : string.Join("; ", assessment.Interactions.Select(i =>
                    $"{i.Class.Display} ({Severity(i.Class.Severity)}): {string.Join(", ", i.Drugs.Select(d => d.Ingredient.Name).Distinct(StringComparer.Ordinal))}")));
        detail.Append("\n- Blood pressure: ").Append(BloodPressureText(assessment.BloodPressure)).Append('\n');
    }

    /// <param name="racemicKetamineOnly">Racemic ketamine alone: the threshold is not called its label's (it is the esketamine nasal spray's example).</param>
    public static string BloodPressureText(BloodPressureAssessment bp, bool racemicKetamineOnly = false) => bp.Status switch
    {
        BloodPressureStatus.Elevated when racemicKetamineOnly => $"latest {bp.Reading} on {FhirDates.Format(bp.When)}: {bp.ElevatedPart} (this service's threshold, >{bp.ThresholdSystolic} systolic or >{bp.ThresholdDiastolic} diastolic, is the esketamine nasal spray label's example; no ketamine label sets one)",
        BloodPressureStatus.Elevated => $"latest {bp.Reading} on {FhirDates.Format(bp.When)}: {bp.ElevatedPart} (the label's example of elevated baseline BP is >{bp.ThresholdSystolic} systolic or >{bp.ThresholdDiastolic} diastolic)",
        BloodPressureStatus.Normal => $"latest {bp.Reading} on {FhirDates.Format(bp.When)}, not above {bp.Threshold}",
        BloodPressureStatus.NotRecent when bp.LastReading is { } last => $"no blood pressure recorded in the last {bp.WindowDays} days; the last known reading is {last} on {FhirDates.Format(bp.LastWhen)}",
        BloodPressureStatus.NotRecent => $"no blood pressure recorded in the last {bp.WindowDays} days, and none earlier in the record",
        _ => "observations could not be obtained",
    };

    public static string Severity(InteractionSeverity severity) => severity switch
    {
        InteractionSeverity.Major => "major",
        InteractionSeverity.Moderate => "moderate",
        _ => "info",
    };

    private static void AppendFindings(StringBuilder detail, string heading, IReadOnlyList<SafetyFinding> findings, List<string> sources)
    {
        if (findings.Count == 0)
        {
            detail.Append("- ").Append(heading).Append(": none recorded\n");
            return;
        }

        detail.Append("- ").Append(heading).Append(":\n");
        foreach (var finding in findings)
        {
            detail.Append("  - ").Append(finding.Text.Display).Append(": ").Append(string.Join("; ", finding.Evidence)).Append('\n');
            sources.AddRange(finding.Text.Sources);
        }
    }
}
