using System.Text;
using KetamineCds.Core.Assessment;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Model;

namespace KetamineCds.Core.Cards;

/// <summary>Contraindication, precaution, blood-pressure, indication-not-documented and data-unavailable cards.</summary>
internal static class SafetyCardComposer
{
    /// <summary>One critical card per contraindication; with draft orders, a suggestion deletes them.</summary>
    public static IEnumerable<CdsCard> Contraindications(CardFactory factory, PatientAssessment assessment)
    {
        var therapy = assessment.TherapyName;
        foreach (var finding in assessment.Safety.Contraindications)
        {
            var detail = new StringBuilder();
            detail.Append("**").Append(Capitalize(finding.Text.Display)).Append("** is recorded:\n");
            foreach (var line in finding.Evidence)
            {
                detail.Append("- ").Append(line).Append('\n');
            }

            detail.Append('\n').Append(finding.Text.Guidance).Append("\n\n");
            detail.Append(OrderOrTherapy(assessment));

            var deletable = assessment.KetamineDrafts.Where(d => d.Reference is not null).ToList();
            IReadOnlyList<CdsSuggestion>? suggestions = null;
            if (deletable.Count > 0)
            {
                suggestions =
                [
                    new CdsSuggestion
                    {
                        Label = $"Remove the {therapy} draft order",
                        Uuid = Guid.NewGuid().ToString(),
                        IsRecommended = true,
                        Actions = deletable.Select(d => new CdsAction
                        {
                            Type = CdsActionType.Delete,
                            Description = $"Remove the draft order for {CardFactory.Drug(therapy, d.Medication.Text)} ({d.Reference})",
                            ResourceId = d.Reference,
                        }).ToList(),
                    },
                ];
            }

            if (assessment.KetamineDrafts.Count > deletable.Count)
            {
                detail.Append("\nThe draft order has no id, so this card cannot offer to remove it; cancel it in the ordering screen.\n");
            }

            yield return factory.Create(
                CardTopics.Contraindication,
                CardIndicator.Critical,
                $"Contraindication to {therapy}: {finding.Text.Display}",
                detail.ToString(),
                finding.Text.Sources,
                suggestions,
                finding.Text.OverrideReasons,
                racemicKetamineOnly: assessment.RacemicKetamineOnly);
        }
    }

    /// <summary>
    /// Findings that have their own card for a patient already on the therapy (no new order): e.g. pregnancy on
    /// esketamine, where the label says to discontinue. These are left out of the precaution card.
    /// </summary>
    public static IEnumerable<CdsCard> WhileOnTherapy(CardFactory factory, PatientAssessment assessment)
    {
        if (!OnTherapyOnly(assessment))
        {
            yield break;
        }

        foreach (var finding in assessment.Safety.Precautions)
        {
            if (finding.Text.WhileOnTherapy is not { } onTherapy)
            {
                continue;
            }

            var detail = new StringBuilder();
            detail.Append("**").Append(Capitalize(finding.Text.Display)).Append("** is recorded:\n");
            foreach (var line in finding.Evidence)
            {
                detail.Append("- ").Append(line).Append('\n');
            }

            detail.Append('\n').Append(onTherapy.Guidance).Append("\n\n").Append(OrderOrTherapy(assessment));
            yield return factory.Create(CardTopics.Precaution, CardIndicator.Warning, onTherapy.Summary, detail.ToString(), onTherapy.Sources);
        }
    }

    /// <summary>One warning card listing every precaution.</summary>
    public static CdsCard? Precautions(CardFactory factory, PatientAssessment assessment)
    {
        var onTherapy = OnTherapyOnly(assessment);
        var precautions = onTherapy
            ? [.. assessment.Safety.Precautions.Where(p => p.Text.WhileOnTherapy is null)]
            : assessment.Safety.Precautions;
        if (precautions.Count == 0)
        {
            return null;
        }

        var therapy = assessment.TherapyName;
        var detail = new StringBuilder();
        detail.Append(onTherapy ? "Precautions with the current " : "Precautions before ").Append(therapy).Append(":\n");
        foreach (var p in precautions)
        {
            detail.Append("- **").Append(Capitalize(p.Text.Display)).Append("**: ").Append(string.Join("; ", p.Evidence)).Append(". ")
                .Append(p.Text.Guidance).Append('\n');
        }

        detail.Append('\n').Append(OrderOrTherapy(assessment));
        var names = string.Join(", ", precautions.Select(p => p.Text.Display));
        return factory.Create(
            CardTopics.Precaution,
            CardIndicator.Warning,
            onTherapy ? $"Precautions with current {therapy}: {names}" : $"Precautions before {therapy}: {names}",
            detail.ToString(),
            precautions.SelectMany(p => p.Text.Sources),
            racemicKetamineOnly: assessment.RacemicKetamineOnly);
    }

    public static CdsCard? BloodPressure(CardFactory factory, PatientAssessment assessment)
    {
        var bp = assessment.BloodPressure;
        var therapy = assessment.TherapyName;
        string code;
        string summary;
        CardIndicator indicator;
        switch (bp.Status)
        {
            case BloodPressureStatus.Elevated:
                code = FindingCodes.BloodPressureElevated;
                indicator = CardIndicator.Warning;
                summary = $"Blood pressure {bp.Reading} ({FhirDates.Format(bp.When)}): {bp.ElevatedPart}; weigh the rise before {therapy}";
                break;
            case BloodPressureStatus.NotRecent:
                code = FindingCodes.BloodPressureNotRecent;
                indicator = CardIndicator.Info;
                summary = $"No blood pressure in the last {bp.WindowDays} days: check it before {therapy}";
                break;
            default:
                return null;
        }

        var text = factory.Knowledge.FindingTexts[code].For(assessment.RacemicKetamineOnly);
        var detail = $"Blood pressure: {SafetySummary.BloodPressureText(bp, assessment.RacemicKetamineOnly)}.\n\n{text.Guidance}\n\nThis service flags a reading above {bp.Threshold} mmHg and looks back {bp.WindowDays} days (set by your organisation).";
        return factory.Create(CardTopics.BloodPressure, indicator, summary, detail, text.Sources, racemicKetamineOnly: assessment.RacemicKetamineOnly);
    }

    public static CdsCard IndicationNotDocumented(CardFactory factory, PatientAssessment assessment)
    {
        var text = factory.Knowledge.FindingTexts[FindingCodes.IndicationNotDocumented].For(assessment.RacemicKetamineOnly);
        var therapy = assessment.TherapyName;
        var detail = new StringBuilder();
        detail.Append("No documented indication for ").Append(therapy).Append(" was found:\n")
            .Append("- Treatment-resistant depression: ").Append(Status(assessment.Trd.Status)).Append(" (").Append(assessment.Trd.Reason).Append(")\n")
            .Append("- Major depressive disorder with suicidal ideation: not recorded\n\n")
            .Append(text.Guidance).Append("\n\n")
            .Append(OrderOrTherapy(assessment));
        return factory.Create(
            CardTopics.IndicationNotDocumented,
            CardIndicator.Warning,
            $"No documented indication for {therapy}: TRD not met or possible, no MDD with suicidal ideation",
            detail.ToString(),
            text.Sources,
            racemicKetamineOnly: assessment.RacemicKetamineOnly);
    }

    /// <summary>Longest list of conditions without a standard code shown on the card.</summary>
    private const int MaxConditionsListed = 5;

    /// <summary>
    /// What could not be checked: kinds of data the EHR could not give, and active conditions recorded without a SNOMED
    /// CT or ICD-10-CM code (free text or local codes only), which no rule reads and none is guessed from.
    /// </summary>
    public static CdsCard DataUnavailable(CardFactory factory, PatientAssessment assessment, IReadOnlyList<PatientDataKind> missing)
    {
        var text = factory.Knowledge.FindingTexts[FindingCodes.DataUnavailable].For(assessment.RacemicKetamineOnly);
        var therapy = assessment.TherapyName;
        var uncoded = assessment.ConditionsWithoutStandardCode;
        var detail = new StringBuilder();
        if (missing.Count > 0)
        {
            detail.Append("Some patient data could not be obtained, so these checks for ").Append(therapy).Append(" were not done or are incomplete:\n");
            foreach (var kind in missing)
            {
                detail.Append("- ").Append(kind).Append(": ").Append(Checks(kind, therapy)).Append('\n');
            }
        }

        if (uncoded.Count > 0)
        {
            detail.Append(missing.Count > 0 ? "\n" : "")
                .Append(uncoded.Count == 1 ? "This active condition has" : $"These {uncoded.Count} active conditions have")
                .Append(" no SNOMED CT or ICD-10-CM code, so the checks for ").Append(therapy)
                .Append(" (contraindications, precautions, the indication) did not include ").Append(uncoded.Count == 1 ? "it" : "them").Append(":\n");
            foreach (var condition in uncoded.Take(MaxConditionsListed))
            {
                detail.Append("- ").Append(condition).Append('\n');
            }

            if (uncoded.Count > MaxConditionsListed)
            {
                detail.Append("- and ").Append(uncoded.Count - MaxConditionsListed).Append(" more\n");
            }
        }

        detail.Append('\n').Append(text.Guidance);
        var summary = missing.Count > 0
            ? $"Some patient data was unavailable: {missing.Count} kind(s) of safety checks for {therapy} could not be done"
            : $"{uncoded.Count} condition(s) recorded without a standard code could not be checked for {therapy}";
        return factory.Create(
            CardTopics.DataUnavailable,
            CardIndicator.Warning,
            summary,
            detail.ToString(),
            text.Sources,
            racemicKetamineOnly: assessment.RacemicKetamineOnly);
    }

    private static string Checks(PatientDataKind kind, string therapy) => kind switch
    {
        PatientDataKind.Patient => "age (under 18) and deceased status",
        PatientDataKind.Conditions => "contraindications (aneurysmal vascular disease, arteriovenous malformation, intracerebral hemorrhage), precautions and the indication (depression, TRD)",
        PatientDataKind.MedicationRequests or PatientDataKind.MedicationStatements or PatientDataKind.MedicationDispenses =>
            "drug interactions with current medications and the antidepressant trials behind TRD (indication)",
        PatientDataKind.Observations => "blood pressure before dosing, PHQ-9 scores (TRD, indication) and pregnancy status",
        PatientDataKind.Allergies => $"hypersensitivity to {therapy}",
        PatientDataKind.Procedures => "procedure history (staging)",
        _ => "unknown",
    };

    private static string Status(TrdStatus status) => status switch
    {
        TrdStatus.Met => "met",
        TrdStatus.Possible => "possible",
        TrdStatus.NotMet => "not met",
        _ => "not applicable",
    };

    /// <summary>The patient is already on the therapy and no new ketamine/esketamine order is being placed.</summary>
    private static bool OnTherapyOnly(PatientAssessment assessment) => assessment.KetamineDrafts.Count == 0 && assessment.CurrentTherapy.Count > 0;

    /// <summary>Names the draft order(s) or the current therapy the card is about.</summary>
    internal static string OrderOrTherapy(PatientAssessment assessment)
    {
        if (assessment.KetamineDrafts.Count > 0)
        {
            return "Draft order: " + string.Join(", ", assessment.KetamineDrafts.Select(d =>
                CardFactory.Drug(d.Medication.Components.First(c => c.Ingredient.IsKetamineTherapy).Ingredient.Name, d.Medication.Text)
                + (d.Reference is null ? " (no id)" : $" ({MarkdownText.Escape(d.Reference)})"))) + "\n";
        }

        if (assessment.CurrentTherapy.Count > 0)
        {
            return "Current therapy: " + string.Join(", ", assessment.CurrentTherapy.Select(e =>
                $"{CardFactory.Drug(e.Ingredient.Name, e.Text)} since {FhirDates.Format(e.Start)}")) + "\n";
        }

        return string.Empty;
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
