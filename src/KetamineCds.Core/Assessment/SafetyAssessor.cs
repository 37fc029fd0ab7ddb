using System.Text;
using Hl7.Fhir.Model;
using KetamineCds.Core.Cards;
using KetamineCds.Core.Engine;
using KetamineCds.Core.Knowledge;
using KetamineCds.Core.Medications;
using KetamineCds.Core.Model;

namespace KetamineCds.Core.Assessment;

/// <summary>
/// Label contraindications (aneurysmal vascular disease, AVM, history of intracerebral hemorrhage, hypersensitivity)
/// [L1] [L2] and precautions (age under 18, psychosis, substance use disorder, pregnancy, hypertension, raised ICP,
/// severe cardiovascular disease, interstitial cystitis, bipolar disorder) from conditions, allergies, age and observations.
/// </summary>
internal static class SafetyAssessor
{
    public static SafetyAssessment Assess(
        KnowledgeBase knowledge,
        ClinicalOptions options,
        PatientRecord record,
        ConditionFacts conditions,
        ObservationFacts observations,
        MedicationRecognizer recognizer,
        DateTimeOffset now,
        bool racemicKetamineOnly = false)
    {
        var contraindications = new List<SafetyFinding>();
        var precautions = new List<SafetyFinding>();

        foreach (var set in knowledge.ConceptSets.Values.OrderBy(s => s.Bit))
        {
            if (set.FindingCode is null || !conditions.Has(set))
            {
                continue;
            }

            var evidence = conditions.For(set)
                .Select(e => $"{e.Text} ({e.Code}){(e.Onset is null ? string.Empty : ", onset " + FhirDates.Format(e.Onset))}{(e.Active ? string.Empty : ", not active (history)")}")
                .Distinct(StringComparer.Ordinal)
                .ToList();
            var finding = new SafetyFinding(knowledge.FindingTexts[set.FindingCode].For(racemicKetamineOnly), evidence);
            Target(finding.Text.Kind, contraindications, precautions).Add(finding);
        }

        var allergies = Hypersensitivity(record, recognizer);
        if (allergies.Count > 0 && knowledge.FindingTexts.TryGetValue(FindingCodes.KetamineHypersensitivity, out var hypersensitivity))
        {
            var text = hypersensitivity.For(racemicKetamineOnly);
            Target(text.Kind, contraindications, precautions).Add(new SafetyFinding(text, allergies));
        }

        if (AgeRange(record.Patient, now) is { } age && age.Youngest < 18 && knowledge.FindingTexts.TryGetValue(FindingCodes.AgeUnder18, out var minor))
        {
            var born = MarkdownText.Escape(record.Patient!.BirthDate);
            var line = age.Youngest == age.Oldest
                ? $"age {age.Youngest} (born {born})"
                : $"age {age.Youngest} or {age.Oldest}: the birth date {born} is partial, so the patient may be under 18";
            precautions.Insert(0, new SafetyFinding(minor.For(racemicKetamineOnly), [line]));
        }

        // Pregnancy status Observation (LOINC 82810-3): the latest one within the current-medication window decides.
        var status = observations.PregnancyStatus
            .Where(p => p.When >= now.AddDays(-options.CurrentMedicationWindowDays) && p.When <= now)
            .OrderByDescending(p => p.When)
            .FirstOrDefault();
        if (status.Pregnant && knowledge.FindingTexts.TryGetValue(FindingCodes.Pregnancy, out var pregnancy))
        {
            var line = $"pregnancy status observation (LOINC 82810-3) 'pregnant' on {FhirDates.Format(status.When)}";
            var index = precautions.FindIndex(p => p.FindingCode == FindingCodes.Pregnancy);
            if (index >= 0)
            {
                precautions[index] = precautions[index] with { Evidence = [.. precautions[index].Evidence, line] };
            }
            else
            {
                precautions.Add(new SafetyFinding(pregnancy.For(racemicKetamineOnly), [line]));
            }
        }

        return new SafetyAssessment(contraindications, precautions);
    }

    /// <summary>The knowledge base's <c>kind</c> decides (not the finding code's wording).</summary>
    private static List<SafetyFinding> Target(FindingKind kind, List<SafetyFinding> contraindications, List<SafetyFinding> precautions) =>
        kind == FindingKind.Contraindication ? contraindications : precautions;

    private static List<string> Hypersensitivity(PatientRecord record, MedicationRecognizer recognizer)
    {
        var lines = new List<string>();
        foreach (var allergy in record.Allergies)
        {
            if (allergy is null || ConditionFacts.IsRefuted(allergy.VerificationStatus))
            {
                continue;
            }

            var clinical = allergy.ClinicalStatus?.Coding.FirstOrDefault(c => !string.IsNullOrEmpty(c?.Code))?.Code;
            if (clinical is "inactive" or "resolved")
            {
                continue;
            }

            var substances = new List<CodeableConcept?> { allergy.Code };
            substances.AddRange(allergy.Reaction.Select(r => r?.Substance));
            foreach (var substance in substances)
            {
                var recognized = recognizer.Recognize(substance, null);
                var therapy = recognized.Components.FirstOrDefault(c => c.Ingredient.IsKetamineTherapy);
                if (therapy is not null)
                {
                    var text = recognized.Text is { } t && !t.Equals(therapy.Ingredient.Name, StringComparison.OrdinalIgnoreCase) ? $" ({MarkdownText.Escape(t)})" : string.Empty;
                    var line = new StringBuilder($"allergy or intolerance to {therapy.Ingredient.Name}{text} recorded");
                    if (allergy.RecordedDate is { } d)
                    {
                        line.Append(' ').Append(FhirDates.Format(FhirDates.Parse(d)));
                    }

                    if (substance?.Coding.FirstOrDefault(c => !string.IsNullOrEmpty(c?.Code)) is { } coding)
                    {
                        line.Append(", ").Append(MarkdownText.Escape(Knowledge.CodeSystems.Describe(coding.System, coding.Code)));
                    }

                    // Say how sure the record is: an unconfirmed or presumed allergy is still a contraindication to weigh.
                    if (allergy.VerificationStatus?.Coding.FirstOrDefault(c => !string.IsNullOrEmpty(c?.Code))?.Code is { } verification and not "confirmed")
                    {
                        line.Append(", verification status ").Append(MarkdownText.Escape(verification));
                    }

                    lines.Add(line.ToString());
                    break;
                }
            }
        }

        return lines;
    }

    /// <summary>
    /// Age in whole years at <paramref name="now"/>. A partial birth date (FHIR allows <c>2008</c> and <c>2008-12</c>) gives
    /// the youngest and oldest ages its days allow: a patient born "2008" may be 17 or 18, and the under-18 rule must not
    /// read such a patient as an adult.
    /// </summary>
    internal static (int Youngest, int Oldest)? AgeRange(Patient? patient, DateTimeOffset now)
    {
        if (FhirDates.Parse(patient?.BirthDate) is not { } earliest || FhirDates.ParseLatest(patient?.BirthDate) is not { } latest)
        {
            return null;
        }

        return (YearsBetween(latest, now), YearsBetween(earliest, now));
    }

    private static int YearsBetween(DateTimeOffset birth, DateTimeOffset now)
    {
        var age = now.Year - birth.Year;
        if (now.Month < birth.Month || (now.Month == birth.Month && now.Day < birth.Day))
        {
            age--;
        }

        return age;
    }
}
